import VigilCore

extension ConfigTable {
    /// `key` as one `host:port` string or an array of them.
    public func listenAddresses(_ key: String) throws(ConfigError) -> [ListenAddress]? {
        guard let value = table[key] else { return nil }
        let texts: [String]
        if case .string(let text) = value.kind {
            _ = self.value(key)
            texts = [text]
        } else {
            texts = try stringArray(key) ?? []
        }
        var addresses: [ListenAddress] = []
        for text in texts {
            guard let address = ListenAddress(text) else {
                throw invalid(key, "expected \"HOST:PORT\" (e.g. \"127.0.0.1:5514\" or \"[::1]:5514\"), got \"\(text)\"")
            }
            addresses.append(address)
        }
        guard !addresses.isEmpty else { throw invalid(key, "expected at least one address") }
        return addresses
    }

    /// `key` as one `host:port` string (a listener that binds one address).
    public func listenAddress(_ key: String) throws(ConfigError) -> ListenAddress? {
        guard let addresses = try listenAddresses(key) else { return nil }
        guard addresses.count == 1 else { throw invalid(key, "expected one address") }
        return addresses[0]
    }
}
