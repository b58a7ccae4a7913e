import Foundation
import IngestSupport

extension DefinitionDecoder {
    /// `source`: type, type-specific options (checked against the type) and format options.
    func decodeSource(_ node: JSONNode) -> SourceSpec {
        let pointer = "/source"
        var spec = SourceSpec()
        guard let members = object(node, pointer, allowed: DefinitionKeys.source) else { return spec }
        var typeKnown = true
        if let m = members["type"] {
            if let type = enumeration(SourceSpec.SourceType.self, m.value, pointer + "/type") {
                spec.type = type
            } else {
                typeKnown = false
            }
        }
        for (key, owners) in Self.sourceOptionOwners {
            guard let m = members[key] else { continue }
            let keyPointer = pointer + "/" + key
            if typeKnown && !owners.contains(spec.type) {
                let names = owners.map { "'\($0.rawValue)'" }
                let list = names.count == 1 ? "source type \(names[0])" : "source types " + names.joined(separator: ", ")
                report("'\(key)' applies only to \(list), not '\(spec.type.rawValue)'", at: keyPointer, m.keyPosition)
                continue
            }
            if let remoteKey = RemoteKey(rawValue: key), remoteKey != .path || spec.type.isRemoteFile {
                decodeRemoteOption(remoteKey, m.value, keyPointer, into: &spec)
            } else {
                decodeSourceOption(key, m.value, keyPointer, into: &spec)
            }
        }
        if typeKnown { checkRequiredSourceKeys(spec, members: members, pointer, node.position) }
        if let m = members["format"] { decodeFormat(m.value, pointer + "/format", into: &spec) }
        if let m = members["csv"] { spec.csv = decodeCSVOptions(m.value, pointer + "/csv") }
        if let m = members["xlsx"] { spec.xlsx = decodeXLSXOptions(m.value, pointer + "/xlsx") }
        if let m = members["json"] { spec.json = decodeJSONOptions(m.value, pointer + "/json") }
        return spec
    }

    /// Options that only make sense for some source types, and those types.
    private static let sourceOptionOwners: [(String, [SourceSpec.SourceType])] = {
        let remote: [SourceSpec.SourceType] = [.ftp, .ftps, .sftp]
        return [
            ("formats", [.upload]), ("max_size_mb", [.upload] + remote), ("path", [.filesystem] + remote),
            ("url", [.url]), ("timeout_s", [.url] + remote), ("headers", [.url]),
            ("host", remote), ("port", remote), ("username", remote), ("password_env", remote),
            ("private_key_path", [.sftp]), ("passive", [.ftp, .ftps]), ("host_key_sha256", [.sftp]),
            ("known_hosts_path", [.sftp]), ("ca_path", [.ftps]),
        ]
    }()

    /// The keys a type cannot do without: `filesystem` a path, `url` a URL, `ftp`/`ftps`/`sftp`
    /// a host and a path (and `sftp` a user, a login and a way to check the host key).
    private func checkRequiredSourceKeys(_ spec: SourceSpec, members: [String: JSONMember], _ pointer: String, _ position: SourcePosition?) {
        var required: [String] = []
        switch spec.type {
        case .upload: break
        case .filesystem: required = ["path"]
        case .url: required = ["url"]
        case .ftp, .ftps: required = ["host", "path"]
        case .sftp: required = ["host", "path", "username"]
        }
        for key in required where members[key] == nil {
            report("missing required key '\(key)' for source type '\(spec.type.rawValue)'", at: pointer, position)
        }
        if spec.type.isRemoteFile { checkRemoteLogin(spec, members: members, pointer, position) }
    }

    /// One type-specific option (a key of ``sourceOptionOwners``), already checked against the type.
    private func decodeSourceOption(_ key: String, _ value: JSONNode, _ pointer: String, into spec: inout SourceSpec) {
        switch key {
        case "formats":
            if let formats = decodeFormatList(value, pointer) { spec.formats = formats }
        case "max_size_mb":
            spec.maxSizeMB = integer(value, pointer, in: 1...1_048_576)
        case "path":
            guard let path = string(value, pointer, nonEmpty: true) else { return }
            if Self.isContainedRelativePath(path) {
                spec.path = path
            } else {
                report("path must be relative to the data root and stay inside it (no leading '/', no '..')", at: pointer, value.position)
            }
        case "url":
            guard let url = string(value, pointer, nonEmpty: true) else { return }
            if Self.isHTTPURL(url) {
                spec.url = url
            } else {
                report("expected an http or https URL, got '\(url)'", at: pointer, value.position)
            }
        case "timeout_s":
            guard let seconds = number(value, pointer) else { return }
            if seconds > 0 && seconds <= 86_400 {
                spec.timeoutSeconds = seconds
            } else {
                report("expected a timeout in seconds above 0 and at most 86400, got \(Self.format(seconds))", at: pointer, value.position)
            }
        default:  // headers
            spec.httpHeaders = decodeHTTPHeaders(value, pointer)
        }
    }

    /// `formats`: a non-empty list of file formats, each once.
    private func decodeFormatList(_ value: JSONNode, _ pointer: String) -> [FileFormat]? {
        guard case .array(let items) = value.value, !items.isEmpty else {
            report("expected a non-empty array of formats (csv, tsv, xlsx, json, ndjson), got \(value.kindDescription)", at: pointer, value.position)
            return nil
        }
        var formats: [FileFormat] = []
        for (i, item) in items.enumerated() {
            let itemPointer = JSONPointer.appending(pointer, i)
            guard let format = enumeration(FileFormat.self, item, itemPointer) else { continue }
            if formats.contains(format) {
                report("format '\(format.rawValue)' is listed twice", at: itemPointer, item.position)
            } else {
                formats.append(format)
            }
        }
        return formats
    }

    /// `format`: `auto` or one format, which must be among `formats` when those are listed.
    private func decodeFormat(_ value: JSONNode, _ pointer: String, into spec: inout SourceSpec) {
        let names = ["auto"] + FileFormat.allCases.map(\.rawValue)
        guard let name = oneOf(names, value, pointer), name != "auto" else { return }
        spec.format = FileFormat(rawValue: name)
        if let format = spec.format, !spec.formats.isEmpty, !spec.formats.contains(format) {
            report("format '\(name)' is not among the allowed formats (\(spec.formats.map(\.rawValue).joined(separator: ", ")))", at: pointer, value.position)
        }
    }

    private func decodeHTTPHeaders(_ node: JSONNode, _ pointer: String) -> [String: String] {
        guard case .object(let members) = node.value else {
            report("expected an object of header names to values, got \(node.kindDescription)", at: pointer, node.position)
            return [:]
        }
        var headers: [String: String] = [:]
        for member in members {
            let memberPointer = JSONPointer.appending(pointer, member.key)
            // RFC 9110 §5.1: a field name is a token.
            let tokenExtras = Set("!#$%&'*+-.^_`|~")
            if member.key.isEmpty || !member.key.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || tokenExtras.contains($0) }) {
                report("'\(member.key)' is not a valid HTTP header name", at: memberPointer, member.keyPosition)
                continue
            }
            guard let value = string(member.value, memberPointer) else { continue }
            // RFC 9110 §5.5: CR and LF in a field value would allow header injection.
            if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\0" }) {
                report("header values cannot contain line breaks or NUL", at: memberPointer, member.value.position)
                continue
            }
            headers[member.key] = value
        }
        return headers
    }

    private func decodeCSVOptions(_ node: JSONNode, _ pointer: String) -> CSVOptions {
        var options = CSVOptions()
        guard let members = object(node, pointer, allowed: DefinitionKeys.csv) else { return options }
        if let m = members["delimiter"], let s = string(m.value, pointer + "/delimiter") {
            if s != "auto" {
                if let byte = singleByte(s, m.value, pointer + "/delimiter", what: "delimiter") {
                    options.delimiter = byte
                }
            }
        }
        if let m = members["quote"], let s = string(m.value, pointer + "/quote"),
           let byte = singleByte(s, m.value, pointer + "/quote", what: "quote") {
            options.quote = byte
        }
        if let delimiter = options.delimiter, delimiter == options.quote, let m = members["delimiter"] {
            report("the delimiter and the quote must differ", at: pointer + "/delimiter", m.value.position)
        }
        if let m = members["encoding"] {
            let names = ["auto"] + TextEncodingName.allCases.map(\.rawValue)
            if let name = oneOf(names, m.value, pointer + "/encoding"), name != "auto" {
                options.encoding = TextEncodingName(rawValue: name)
            }
        }
        if let m = members["header_row"], let row = integer(m.value, pointer + "/header_row", in: 1...1_000_000) {
            options.headerRow = row
        }
        return options
    }

    /// One byte that is not a line break: what a CSV reader can split on.
    private func singleByte(_ s: String, _ node: JSONNode, _ pointer: String, what: String) -> UInt8? {
        let bytes = Array(s.utf8)
        guard bytes.count == 1, bytes[0] != 0x0A, bytes[0] != 0x0D else {
            let extra = what == "delimiter" ? " (or \"auto\")" : ""
            report("the \(what) must be a single one-byte character other than a line break\(extra), got \"\(s)\"", at: pointer, node.position)
            return nil
        }
        return bytes[0]
    }

    private func decodeXLSXOptions(_ node: JSONNode, _ pointer: String) -> XLSXOptions {
        var options = XLSXOptions()
        guard let members = object(node, pointer, allowed: DefinitionKeys.xlsx) else { return options }
        if let m = members["sheet"] {
            switch m.value.value {
            case .string(let name) where !name.isEmpty:
                options.sheet = .name(name)
            case .integer(let index) where index >= 1 && index <= 65_535:
                options.sheet = .index(Int(index))
            default:
                report("expected a sheet name or a 1-based sheet number, got \(m.value.kindDescription)", at: pointer + "/sheet", m.value.position)
            }
        }
        return options
    }

    private func decodeJSONOptions(_ node: JSONNode, _ pointer: String) -> JSONOptions {
        var options = JSONOptions()
        guard let members = object(node, pointer, allowed: DefinitionKeys.json) else { return options }
        if let m = members["pointer"], let p = string(m.value, pointer + "/pointer") {
            if JSONPointer.isValid(p) {
                options.pointer = p
            } else {
                report("'\(p)' is not an RFC 6901 JSON pointer (\"\" or \"/a/b\", with '~' only as ~0 or ~1)", at: pointer + "/pointer", m.value.position)
            }
        }
        return options
    }

    /// A relative path that cannot leave the directory it is resolved against.
    static func isContainedRelativePath(_ path: String) -> Bool {
        if path.hasPrefix("/") || path.hasPrefix("\\") || path.hasPrefix("~") || path.contains("\0") { return false }
        if path.count >= 2, path.dropFirst().first == ":" { return false }  // C:\…
        let components = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return !components.contains("..")
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return false }
        return true
    }
}
