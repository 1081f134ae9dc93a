// The simulation API speaks in the solver's result types (status, statistics, method, linear solver).
@_exported import Hopfield
@_exported import Sundials
