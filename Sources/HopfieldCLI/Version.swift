/// The package version `hopfield --version` prints. Raise it with every release (and say what changed in
/// the commit that does).
let hopfieldVersion = "0.1.0"
