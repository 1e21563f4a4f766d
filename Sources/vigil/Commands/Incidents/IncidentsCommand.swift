import ArgumentParser

/// `vigil incidents …`: incidents through vigild's management API.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List, inspect and act on incidents (through vigild's management API).",
        discussion: """
            These commands talk to vigild's management API ([api] listen, default \
            http://127.0.0.1:8081). Reads need a token unless [api] anonymous_reads is on; actions \
            always do: put it in $VIGIL_TOKEN or pass --token-file. INC is INC-42, 42 or the \
            incident's UUID.

            EXAMPLES
              vigil incidents list --status firing,acknowledged
              vigil incidents show INC-7
              vigil incidents logs INC-7
              VIGIL_TOKEN=… vigil incidents ack INC-7
              vigil incidents merge INC-8 --into INC-7
              vigil incidents report --since 30d
            """,
        subcommands: [
            IncidentsListCommand.self, IncidentsShowCommand.self, IncidentsAckCommand.self, IncidentsResolveCommand.self,
            IncidentsReopenCommand.self, IncidentsMergeCommand.self, IncidentsNoteCommand.self, IncidentsAssignCommand.self,
            IncidentsTimelineCommand.self, IncidentsLogsCommand.self, IncidentsReportCommand.self,
        ]
    )
}
