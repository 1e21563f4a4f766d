import ArgumentParser
import Foundation
import VigilCore
import VigilDetect

struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Mine log templates from stored or file records and list them with counts and first/last seen.",
        discussion: """
            The miner is the one the new-template detector uses (Drain-style: a fixed-depth prefix tree \
            and a similarity threshold; numbers, hex, UUIDs, IPs, paths and quoted strings are masked; \
            words are constants until word_variants templates differ only in one; HTTP access-log lines \
            are grouped by method and route), with the [detectors.new_template] settings of --config. \
            Templates are listed most frequent first:

              vigil templates --since -1d -u sshd
              vigil templates /var/log/auth.log --format syslog

            --assign prints, instead, one template id per input record, in input order, as of the end of \
            the input: a record whose template later merged into another gets the id it merged into \
            (for evaluating the grouping against labelled logs; see bench/templates/).
            """
    )

    @OptionGroup var source: RecordSourceOptions

    @Option(name: [.customShort("o"), .long], help: "Output: table or json.")
    var output: String = "table"

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("List at most N templates.", valueName: "n"))
    var limit: Int?

    @Flag(name: .long, help: "Print the template id of each input record, one per line, instead of the list.")
    var assign = false

    func validate() throws {
        guard ["table", "json"].contains(output) else { throw ValidationError("unknown --output '\(output)'; expected table or json") }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        let configuration = try source.location.loadDaemonConfiguration()
        var miner = TemplateMiner(configuration: configuration.detection.newTemplate.miner)
        var out = OutputBuffer()
        var assigned: [Int32] = []
        try source.forEachBatch { batch in
            for record in batch {
                let match = miner.learn(record.message, service: record.service, time: record.time)
                if assign { assigned.append(Int32(truncatingIfNeeded: match.id)) }
            }
        }
        if assign {
            for id in assigned {
                out.bytes.append(contentsOf: String(miner.canonicalID(Int(id))).utf8)
                out.bytes.append(0x0A)
                out.flushIfFull()
            }
        } else {
            var templates = miner.templates.sorted { ($0.count, -$0.id) > ($1.count, -$1.id) }
            if let limit { templates = Array(templates.prefix(limit)) }
            if output == "table" {
                out.bytes.append(contentsOf: "    ID    COUNT  FIRST SEEN            LAST SEEN             SERVICE          TEMPLATE\n".utf8)
            }
            for template in templates {
                out.bytes.append(contentsOf: line(template).utf8)
                out.bytes.append(0x0A)
                out.flushIfFull()
            }
        }
        out.flush()
    }

    private func line(_ template: TemplateInfo) -> String {
        let first = TimeFormatter.rfc3339(template.firstSeen, fractionDigits: 0)
        let last = TimeFormatter.rfc3339(template.lastSeen, fractionDigits: 0)
        guard output == "table" else {
            let object: [String: Any] = [
                "id": template.id, "template": template.template, "count": template.count, "first_seen": first,
                "last_seen": last, "service": template.service,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return left ? padding + text : text + padding
        }
        return "\(pad(String(template.id), 6, left: true)) \(pad(String(template.count), 8, left: true))  \(pad(first, 21)) \(pad(last, 21)) \(pad(template.service, 16)) \(template.template)"
    }
}
