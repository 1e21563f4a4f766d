import FuzzSupport
import VigilFormats

/// Syslog over UDP and TCP: the datagram parser (RFC 5424, RFC 3164, raw) and the stream framer
/// (octet counting and line feeds) with every message it finds parsed too.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    var parser = SyslogParser()
    _ = parser.parse(bytes, receivedAt: 1_800_000_000_000_000_000)
    _ = parser.parseRFC5424(bytes, receivedAt: 1_800_000_000_000_000_000)
    var framer = SyslogStreamFramer(maximumMessageBytes: 4096)
    _ = framer.forEachMessage(in: bytes, atEnd: true) { message, _ in
        _ = parser.parse(UnsafeBufferPointer(rebasing: bytes[message]), receivedAt: 1_800_000_000_000_000_000)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzSyslog_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
