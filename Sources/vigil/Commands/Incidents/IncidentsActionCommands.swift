import ArgumentParser
import Foundation
import VigilIncidents

/// What an action prints: the incident's new state in a line, or its JSON with `-o json`.
struct ActionOutput: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("table or json.", valueName: "format"))
    var output = IncidentOutput.table

    func print(_ body: Data, verb: String) throws {
        if output == .json {
            FileHandle.standardOutput.write(body)
            return
        }
        let incident = try JSONDecoder().decode(Incident.self, from: body)
        Swift.print("\(incident.reference) \(verb): \(incident.status), \(incident.title)")
    }
}

/// `ack`, `resolve` and `reopen`: a POST to the incident's action path, with no body.
protocol IncidentActionCommand: ParsableCommand {
    static var action: String { get }
    static var verb: String { get }
    var api: APIOptions { get }
    var incident: String { get }
    var output: ActionOutput { get }
}

extension IncidentActionCommand {
    func run() throws {
        try output.print(try IncidentsAPI(api).call("POST", IncidentsAPI.path(incident) + "/" + Self.action), verb: Self.verb)
    }
}

struct IncidentsAckCommand: IncidentActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a firing incident: it stays open and its repeats no longer notify.")
    static let action = "ack", verb = "acknowledged"
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident")) var incident: String
    @OptionGroup var output: ActionOutput
}

struct IncidentsResolveCommand: IncidentActionCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve a firing or acknowledged incident.")
    static let action = "resolve", verb = "resolved"
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident")) var incident: String
    @OptionGroup var output: ActionOutput
}

struct IncidentsReopenCommand: IncidentActionCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a resolved incident.")
    static let action = "reopen", verb = "reopened"
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident")) var incident: String
    @OptionGroup var output: ActionOutput
}

struct IncidentsMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge an incident into another.",
        discussion: "The merged incident's fingerprint then routes to the other, which takes its signal count and evidence.")
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("The incident to merge.", valueName: "incident")) var incident: String
    @Option(name: .long, help: ArgumentHelp("The incident to merge it into.", valueName: "incident")) var into: String
    @OptionGroup var output: ActionOutput

    func run() throws {
        try output.print(try IncidentsAPI(api).call("POST", IncidentsAPI.path(incident) + "/merge", json: ["into": into]), verb: "merged into \(into)")
    }
}

struct IncidentsNoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to an incident.")
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident")) var incident: String
    @Argument(help: ArgumentHelp("The note (several words are joined by spaces).", valueName: "text")) var text: [String]

    func run() throws {
        let joined = text.joined(separator: " ")
        guard !joined.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the note is empty") }
        _ = try IncidentsAPI(api).call("POST", IncidentsAPI.path(incident) + "/notes", json: ["text": joined])
        print("note added to \(incident)")
    }
}

struct IncidentsAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign an incident to someone, or clear it with --clear.")
    @OptionGroup var api: APIOptions
    @Argument(help: ArgumentHelp("INC-42, 42 or the incident's UUID.", valueName: "incident")) var incident: String
    @Argument(help: ArgumentHelp("Who takes it.", valueName: "name")) var assignee: String?
    @Flag(name: .long, help: "Clear the assignee.") var clear = false
    @OptionGroup var output: ActionOutput

    func validate() throws {
        guard (assignee != nil) != clear else { throw ValidationError("give a name or --clear") }
    }

    func run() throws {
        let body: [String: Any] = ["assignee": assignee.map { $0 as Any } ?? NSNull()]
        try output.print(try IncidentsAPI(api).call("PATCH", IncidentsAPI.path(incident), json: body), verb: clear ? "unassigned" : "assigned to \(assignee!)")
    }
}
