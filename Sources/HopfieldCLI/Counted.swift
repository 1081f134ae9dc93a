/// `"1 block"`, `"5 blocks"`: a count with its noun in the right number.
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
