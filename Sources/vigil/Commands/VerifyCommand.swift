import ArgumentParser
import Foundation
import VigilStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every block of every segment.",
        discussion: """
            Reads each segment in full: header, block headers, payload checksums, decompression, the \
            structure of every column, and the footer index. Each problem is printed as \
            'SEGMENT: offset N: REASON'. The active (unsealed) segment is checked up to its last complete block.

            Exits 0 when the store is clean and 1 when anything is corrupt. Queries skip corrupt blocks \
            and return everything else; a vigild restart moves a segment whose header cannot be read \
            to quarantine/ and copies its readable blocks into a new segment. What quarantine/ holds \
            is listed ('quarantined: PATH: WHEN REASON'); it does not make the store unclean.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Flag(name: .shortAndLong, help: "Print each segment as it is checked.")
    var verbose = false

    func run() async throws {
        let directory = try location.resolveDataDirectory()
        let report = try StoreVerifier.verify(directory: directory) { path in
            if verbose { StandardError.line("checking \(path)") }
        }
        for problem in report.problems { print(problem.description) }
        if verbose { for path in report.unsealed { StandardError.line("\(path): unsealed (active segment)") } }
        for entry in report.quarantined { print("quarantined: \(entry.path): \(entry.reason ?? "no reason recorded")") }
        let summary = "\(report.segmentsChecked) segments, \(report.blocksChecked) blocks, \(report.recordsChecked) records checked"
        if report.isClean {
            StandardError.line("ok: \(summary)")
        } else {
            StandardError.line("CORRUPT: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"); \(summary)")
            throw ExitCode(1)
        }
    }
}
