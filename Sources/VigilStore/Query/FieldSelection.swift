/// Which fields of each record a read rebuilds: all of them, or only the named ones, as an output
/// that prints a few (journalctl's `short` prints only the pid) asks. A block that holds none of
/// the named keys is then read without decompressing its field column.
public enum FieldSelection: Sendable, Equatable {
    case all
    case only(Set<String>)
}
