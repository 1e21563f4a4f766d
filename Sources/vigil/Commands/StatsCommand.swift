import ArgumentParser
import Foundation
import VigilCore
import VigilFormats
import VigilStore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the store's size, record count, compression ratio and time span.",
        discussion: """
            Reads segment footers and block headers, and checks each block's payload checksum \
            without decompressing it: records in blocks that fail are left out of the count and \
            reported as corrupt (vigil verify tells where). Segments recovery set aside in \
            quarantine/ are listed with the reason. Blocks written with the catch-up codec while \
            vigild's writer was behind (see catch_up_codec), and not recompressed yet, are counted \
            as catch-up blocks.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Option(name: [.customShort("o"), .long], help: "Output: text or json.")
    var output: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(output) else { throw ValidationError("unknown --output '\(output)'; expected text or json") }
    }

    func run() async throws {
        let directory = try location.resolveDataDirectory()
        let catalog = try StoreCatalog(directory: directory)
        let stats = StoreStatistics(catalog: catalog)
        let catchUpBlocks = StoreStatistics.catchUpBlocks(in: catalog)
        let integrity = StoreStatistics.integrity(of: catalog)
        let quarantined = QuarantineNote.list(directory: directory)
        let records = stats.records - integrity.unreadableRecords
        let ratio = stats.compressionRatio.map { String(format: "%.2f", $0) }
        let oldest = stats.oldestTime.map { TimeFormatter.rfc3339($0, fractionDigits: 3) }
        let newest = stats.newestTime.map { TimeFormatter.rfc3339($0, fractionDigits: 3) }
        if output == "json" {
            func quoted(_ value: String?) -> String { value.map(JSONEscaping.quoted) ?? "null" }
            print(
                "{\"data_dir\":\(JSONEscaping.quoted(directory)),\"segments\":\(stats.segments),\"sealed_segments\":\(stats.sealedSegments),"
                    + "\"blocks\":\(stats.blocks),\"records\":\(records),\"raw_bytes\":\(stats.sourceBytes),"
                    + "\"corrupt_blocks\":\(integrity.corruptBlocks),\"corrupt_bytes\":\(integrity.corruptBytes),"
                    + "\"unreadable_records\":\(integrity.unreadableRecords),"
                    + "\"quarantined\":[\(quarantined.map { "{\"path\":\(JSONEscaping.quoted($0.path)),\"reason\":\(quoted($0.reason))}" }.joined(separator: ","))],"
                    + "\"stored_bytes\":\(stats.storedBytes),\"compression_ratio\":\(ratio ?? "null"),"
                    + "\"catch_up_blocks\":\(catchUpBlocks),\"oldest\":\(quoted(oldest)),\"newest\":\(quoted(newest))}")
            return
        }
        print("data dir:     \(directory)")
        print("segments:     \(stats.segments) (\(stats.sealedSegments) sealed)")
        print("blocks:       \(stats.blocks)")
        print("records:      \(records)" + (integrity.unreadableRecords > 0 ? " (\(integrity.unreadableRecords) more in corrupt blocks, not counted)" : ""))
        if integrity.corruptBlocks > 0 || integrity.corruptBytes > 0 {
            print("corrupt:      \(integrity.corruptBlocks) blocks, \(integrity.corruptBytes) bytes (vigil verify says where)")
        }
        for entry in quarantined {
            print("quarantined:  \(entry.path): \(entry.reason ?? "no reason recorded")")
        }
        print("raw bytes:    \(stats.sourceBytes) (\(ByteSizeParser.format(stats.sourceBytes)))")
        print("stored bytes: \(stats.storedBytes) (\(ByteSizeParser.format(stats.storedBytes)))")
        print("compression:  \(ratio.map { "\($0)x" } ?? "-")")
        if catchUpBlocks > 0 {
            print("catch-up:     \(catchUpBlocks) blocks written with the catch-up codec while the writer was behind (vigild recompresses them)")
        }
        print("time span:    \(oldest ?? "-") .. \(newest ?? "-")")
    }
}
