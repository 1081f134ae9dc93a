print("hopfield: under construction")
