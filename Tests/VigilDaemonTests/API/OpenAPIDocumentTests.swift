import Foundation
import Testing
@testable import VigilDaemon

/// The OpenAPI document served at `/v1/openapi.json` describes exactly the routes the management
/// API serves: every path and method of one is in the other.
@Suite struct OpenAPIDocumentTests {
    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    func documented() throws -> Set<String> {
        let document = try #require(JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var routes = Set<String>()
        for (path, item) in paths {
            for method in item.keys where Self.httpMethods.contains(method) { routes.insert("\(method.uppercased()) \(path)") }
        }
        return routes
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws {
        let served = Set(ManagementAPI.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(served.count == ManagementAPI.routes.count)
        #expect(try documented() == served)
    }

    @Test func everyReferenceResolves() throws {
        let text = OpenAPIDocument.json
        let document = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let pattern = try NSRegularExpression(pattern: ##""\$ref": "#/([^"]+)""##)
        let references = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
        #expect(!references.isEmpty)
        for reference in Set(references) {
            var node: Any? = document
            for part in reference.split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
            #expect(node != nil, "unresolved $ref #/\(reference)")
        }
    }
}
