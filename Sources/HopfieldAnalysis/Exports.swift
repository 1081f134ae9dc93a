// The analysis API speaks in the simulation's and the solvers' types (networks, statuses, matrices).
@_exported import HopfieldSimulation
@_exported import LinearAlgebra
