import VigilCore
import VigilDetect

/// What the detection service consumes, in order: committed batches, and clock ticks that move
/// event time on when no records arrive (so silence and open windows are still evaluated).
enum DetectionInput: Sendable {
    case records([LogRecord])
    /// The wall clock, ns since the epoch.
    case tick(Int64)
    /// A reloaded configuration (SIGHUP), applied between batches.
    case reconfigure(DetectionConfiguration)
}
