/// One level of the router's segment tree.
///
/// Literal children are tried before the parameter child, so `/runs/latest` wins over
/// `/runs/:id`; matching backtracks if the literal branch dead-ends.
struct RouteNode: Sendable {
    var literals: [String: RouteNode] = [:]
    /// The child for a `:param` segment; an array of zero or one to give the recursive struct
    /// indirect storage.
    var parameter: [RouteNode] = []
    var routes: [HTTPMethod: Route] = [:]

    mutating func insert(_ route: Route, at depth: Int) {
        guard depth < route.segments.count else {
            routes[route.method] = route
            return
        }
        let segment = route.segments[depth]
        if segment.hasPrefix(":") {
            if parameter.isEmpty { parameter = [RouteNode()] }
            parameter[0].insert(route, at: depth + 1)
        } else {
            literals[segment, default: RouteNode()].insert(route, at: depth + 1)
        }
    }

    /// The deepest node that has routes for exactly these segments, literal branches first.
    func find(_ segments: [String], at depth: Int) -> RouteNode? {
        guard depth < segments.count else { return routes.isEmpty ? nil : self }
        if let literal = literals[segments[depth]], let found = literal.find(segments, at: depth + 1) {
            return found
        }
        if let child = parameter.first, let found = child.find(segments, at: depth + 1) {
            return found
        }
        return nil
    }
}
