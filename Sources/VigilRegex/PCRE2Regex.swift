import CPCRE2

/// A compiled PCRE2 regular expression with JIT, for `--grep` over large scans.
///
/// PCRE2's JIT is many times faster than Swift's `Regex` on long scans; matching is done on UTF-8
/// bytes. The compiled code is immutable and shared between threads; each match call brings its own
/// match data.
public final class PCRE2Regex: Sendable {
    public let pattern: String
    public let caseInsensitive: Bool
    /// The compiled pattern. `pcre2_code` is read-only after compilation and JIT; PCRE2 documents it as
    /// safe to use from several threads at once, which is why this class can be `Sendable`.
    private nonisolated(unsafe) let code: OpaquePointer
    /// A multi-line variant used to scan a whole message column at once (`^`/`$` at every record
    /// boundary); nil when the pattern uses constructs that make that unsafe, then records are matched
    /// one by one.
    private nonisolated(unsafe) let columnCode: OpaquePointer?

    /// Why a pattern did not compile.
    public struct CompileError: Error, CustomStringConvertible {
        public let pattern: String
        public let offset: Int
        public let message: String
        public var description: String { "invalid regular expression \"\(pattern)\" at offset \(offset): \(message)" }
    }

    /// Compiles `pattern`. `caseInsensitive: nil` means smart case, as journalctl: case-insensitive
    /// unless the pattern has an upper-case letter.
    public init(_ pattern: String, caseInsensitive: Bool? = nil) throws(CompileError) {
        self.pattern = pattern
        let insensitive = caseInsensitive ?? !pattern.contains { $0.isUppercase }
        self.caseInsensitive = insensitive
        var options = UInt32(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
        if insensitive { options |= UInt32(PCRE2_CASELESS) }
        code = try Self.compile(pattern, options: options)
        let unsafeForColumns = ["\\A", "\\z", "\\Z", "\\G", "(?<", "\\K", "(*"].contains { pattern.contains($0) }
        columnCode = unsafeForColumns ? nil : try? Self.compile(pattern, options: options | UInt32(PCRE2_MULTILINE))
    }

    /// Whether PCRE2's JIT compiler works in this process. It needs memory that is writable and then
    /// executable, which `MemoryDenyWriteExecute=yes` (systemd) or SELinux's `execmem` denial
    /// forbid; PCRE2 then falls back to its interpreter silently, several times slower.
    public static let isJITAvailable: Bool = {
        var errorCode: Int32 = 0
        var errorOffset = 0
        guard let code = pcre2_compile_8(Array("a".utf8), 1, 0, &errorCode, &errorOffset, nil) else { return false }
        defer { pcre2_code_free_8(code) }
        return pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }()

    deinit {
        pcre2_code_free_8(code)
        if let columnCode { pcre2_code_free_8(columnCode) }
    }

    private static func compile(_ pattern: String, options: UInt32) throws(CompileError) -> OpaquePointer {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = pattern.withCString { p in
            pcre2_compile_8(UnsafePointer<UInt8>(OpaquePointer(p)), pattern.utf8.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var buffer = [UInt8](repeating: 0, count: 256)
            pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            throw CompileError(pattern: pattern, offset: errorOffset, message: String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self))
        }
        pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        return compiled
    }

    /// Match data for one thread's matches: reuse one per thread to avoid an allocation per match.
    public final class Scratch {
        let data: OpaquePointer
        init(for regex: PCRE2Regex) { data = pcre2_match_data_create_from_pattern_8(regex.code, nil) }
        deinit { pcre2_match_data_free_8(data) }
    }

    /// Match data for this pattern, for one thread.
    public func makeScratch() -> Scratch { Scratch(for: self) }

    /// Whether the pattern matches somewhere in `subject`.
    public func matches(_ subject: String) -> Bool {
        var copy = subject
        let scratch = makeScratch()
        return copy.withUTF8 { matches(UnsafeRawBufferPointer($0), scratch: scratch) }
    }

    /// Whether the pattern matches somewhere in the UTF-8 bytes `subject`.
    public func matches(_ subject: UnsafeRawBufferPointer, scratch: Scratch) -> Bool {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        return pcre2_match_8(code, base, subject.count, 0, 0, scratch.data, nil) >= 0
    }

    /// Marks in `matched` the records whose message matches. `starts[i]..<starts[i+1]-1` is record
    /// `i`'s message in `column` (each message is followed by `\n`). Only records with `candidates[i]`
    /// true are considered. The whole column is scanned at once with the multi-line pattern, then each
    /// hit is confirmed on its own record, so rare patterns cost about one pass of the JIT over the bytes.
    public func matchColumn(
        _ column: UnsafeRawBufferPointer, starts: [Int], candidates: [Bool], scratch: Scratch, into matched: inout [Bool]
    ) {
        let count = starts.count - 1
        guard count > 0, let base = column.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        func confirm(_ i: Int) -> Bool {
            pcre2_match_8(code, base + starts[i], starts[i + 1] - 1 - starts[i], 0, 0, scratch.data, nil) >= 0
        }
        guard let columnCode else {
            for i in 0..<count where candidates[i] { matched[i] = confirm(i) }
            return
        }
        var record = 0
        let length = column.count
        while record < count {
            let rc = pcre2_match_8(columnCode, base, length, starts[record], 0, scratch.data, nil)
            guard rc >= 0 else { return }
            let hit = pcre2_get_ovector_pointer_8(scratch.data)[0]
            // The record whose bytes (or trailing separator) hold the hit.
            var lo = record, hi = count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= hit { lo = mid } else { hi = mid - 1 }
            }
            if candidates[lo], confirm(lo) { matched[lo] = true }
            record = lo + 1
        }
    }
}
