import Distributed
import Testing

@Suite("TransferWriter / TransferReader")
struct TransferTests {
    @Test("numbers, integers, text and bytes come back bit for bit, in order")
    func roundTrip() throws {
        var w = TransferWriter()
        w.write(-42)
        w.write([1.5, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .pi])
        w.write(Double.nan)
        w.write("rank 1: µ = 3")
        w.write(bytes: [0, 255, 7])
        var r = TransferReader(w.bytes)
        #expect(try r.readInt() == -42)
        let numbers = try r.readDoubles()
        #expect(numbers.map(\.bitPattern) == [1.5, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .pi].map(\.bitPattern))
        #expect(try r.readDouble().isNaN)
        #expect(try r.readString() == "rank 1: µ = 3")
        #expect(try r.readBytes() == [0, 255, 7])
        #expect(r.isAtEnd)
    }

    @Test("short or corrupt bytes throw instead of trapping")
    func truncated() {
        var w = TransferWriter()
        w.write([1.0, 2.0])
        var short = TransferReader(Array(w.bytes.dropLast()))
        #expect(throws: TransferError.truncated) { try short.readDoubles() }
        var negative = TransferWriter()
        negative.write(-5)
        var r = TransferReader(negative.bytes)
        #expect(throws: TransferError.truncated) { try r.readBytes() }
    }
}
