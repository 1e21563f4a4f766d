import VigilCore

/// What the detection service consumes, in order: committed batches, and clock ticks that move
/// event time on when no records arrive (so silence and open windows are still evaluated).
enum DetectionInput: Sendable {
    case records([LogRecord])
    /// The wall clock, ns since the epoch.
    case tick(Int64)
}
