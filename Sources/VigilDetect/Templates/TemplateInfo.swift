/// One mined template, as `vigil templates` lists it.
public struct TemplateInfo: Sendable, Hashable, Codable {
    /// The template's id: 1, 2, 3… in order of creation, kept across restarts by the snapshot.
    public var id: Int
    /// The template text: tokens separated by single spaces, masked values as `<NUM>`, `<IP>`…,
    /// positions that vary as `<*>`.
    public var template: String
    /// Messages that matched the template (since it was created, including before restarts).
    public var count: Int
    /// Event time of the first message, ns.
    public var firstSeen: Int64
    /// Event time of the latest message, ns.
    public var lastSeen: Int64
    /// The service of the first message.
    public var service: String

    /// Creates a description.
    public init(id: Int, template: String, count: Int, firstSeen: Int64, lastSeen: Int64, service: String) {
        self.id = id
        self.template = template
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.service = service
    }
}
