import CZlib

/// Why a gzip (or zlib) stream could not be decompressed: zlib's return code and its message.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// zlib's return code (`Z_DATA_ERROR` = −3, `Z_MEM_ERROR` = −4, `Z_BUF_ERROR` = −5 for a truncated stream, …).
    public var status: Int32
    /// What is wrong, on one line.
    public var message: String

    public var description: String { "\(message) (zlib status \(status))" }
}

/// In-memory gzip decompression through zlib (C functions `inflateInit2`, `inflate`, `inflateReset`,
/// `inflateEnd`).
public enum Gzip {
    /// Decompresses a gzip (or zlib) stream; concatenated gzip members are decompressed one after another,
    /// as `gzip -dc` does (input after the last member that is not another gzip header is ignored).
    ///
    /// - Parameter input: The compressed bytes.
    /// - Returns: The decompressed bytes.
    /// - Throws: ``GzipError`` for a corrupt or truncated stream (with zlib's message).
    public static func decompress(_ input: [UInt8]) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        var status = czlib_inflate_init_auto(&stream)
        guard status == Z_OK else { throw GzipError(status: status, message: "cannot initialise zlib") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var consumed = 0
        // zlib counts in 32-bit integers: feed the input in pieces of at most 1 GiB.
        let piece = 1 << 30
        input.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else {
                status = Z_BUF_ERROR
                return
            }
            while true {
                if stream.avail_in == 0 && consumed < source.count {
                    let n = min(piece, source.count - consumed)
                    stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                    stream.avail_in = UInt32(n)
                    consumed += n
                }
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0 ..< produced])
                if status == Z_STREAM_END {
                    // Another gzip member follows: start over on the rest of the input (anything else
                    // after the stream is ignored, as gzip -dc does with trailing zeros).
                    guard stream.avail_in >= 2, stream.next_in[0] == 0x1F, stream.next_in[1] == 0x8B else { return }
                    status = inflateReset(&stream)
                    if status != Z_OK { return }
                    continue
                }
                // No progress possible yet: the output chunk was full, or the next input piece is due.
                if status == Z_BUF_ERROR && (produced > 0 || consumed < source.count) { continue }
                if status != Z_OK { return }
                if produced == 0 && stream.avail_in == 0 && consumed == source.count {
                    status = Z_BUF_ERROR  // the input ended inside the stream
                    return
                }
            }
        }
        guard status == Z_STREAM_END else {
            let reason = stream.msg.map { String(cString: $0) }
                ?? (status == Z_BUF_ERROR ? "unexpected end of the compressed data" : "invalid compressed data")
            throw GzipError(status: status, message: reason)
        }
        return output
    }
}
