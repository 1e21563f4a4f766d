import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// journalctl's pager: when standard output is a terminal, output goes through `$SYSTEMD_PAGER`,
/// else `$PAGER`, else `less` (with `LESS=FRSXMK` unless set: quit when one screen suffices, keep
/// colours, do not wrap, do not clear the screen). A pager set to `cat` or to nothing means none.
/// `--no-pager` turns it off; `-e` starts `less` at the end (`+G`).
final class Pager {
    private let pid: pid_t

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// The command to run, or `nil` for none.
    static func command(environment: [String: String], jumpToEnd: Bool) -> String? {
        let chosen = environment["SYSTEMD_PAGER"] ?? environment["PAGER"] ?? "less"
        let trimmed = chosen.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != "cat" else { return nil }
        if jumpToEnd, trimmed == "less" || trimmed.hasPrefix("less ") { return trimmed + " +G" }
        return trimmed
    }

    /// Starts the pager and points standard output at it, when standard output is a terminal and a
    /// pager is chosen; `nil` otherwise (output goes straight out).
    static func start(jumpToEnd: Bool) -> Pager? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var environment = ProcessInfo.processInfo.environment
        guard let command = command(environment: environment, jumpToEnd: jumpToEnd) else { return nil }
        if environment["LESS"] == nil { environment["LESS"] = "FRSXMK" }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return nil
        }
        dup2(fds[1], STDOUT_FILENO)
        close(fds[1])
        return Pager(pid: pid)
    }

    /// Ends the output and waits until the pager quits.
    func finish() {
        close(STDOUT_FILENO)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }
}
