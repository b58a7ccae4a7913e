import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole `multipart/form-data` body: fields into memory, files straight to disk.
///
/// The body is pulled from the request's ``BodyStream`` 64 KiB at a time and fed to a
/// ``MultipartParser``; each file part's bytes are written to its temp file as they arrive, so
/// an upload of any size uses constant memory. Use it from a route with
/// ``RouteOptions/streamingBody`` for large uploads (on other routes it reads the buffered body).
public enum MultipartFormReader {
    /// Reads the form of `request`, whose `Content-Type` must be `multipart/form-data` with a
    /// boundary.
    ///
    /// - Parameters:
    ///   - fileDirectory: an existing directory for the uploaded files. On error every file
    ///     written so far is removed; on success the caller owns them.
    /// - Throws: ``MultipartError``; it adopts ``HTTPResponseError``, so a handler may let it
    ///   propagate.
    public static func read(
        _ request: HTTPRequest, fileDirectory: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> MultipartForm {
        guard let contentType = request.headers["Content-Type"],
              let boundary = MultipartParser.boundary(fromContentType: contentType)
        else { throw .notMultipart }
        return try read(request.body, boundary: boundary, fileDirectory: fileDirectory, limits: limits)
    }

    /// Reads a form from `body` split by `boundary`.
    public static func read(
        _ body: BodyStream, boundary: String, fileDirectory: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> MultipartForm {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        var form = MultipartForm()
        var current: Part?
        var chunk: [UInt8] = []
        do throws(MultipartError) {
            while true {
                let count: Int
                do throws(HTTPError) {
                    count = try body.read(into: &chunk)
                } catch {
                    throw .body(error)
                }
                if count == 0 {
                    try parser.finish()
                    break
                }
                for event in try parser.feed(chunk) {
                    switch event {
                    case .partHeaders(let head):
                        if let filename = head.filename {
                            let file = try TempFile.create(in: fileDirectory)
                            current = .file(head, filename, file)
                            form.files.append(MultipartFile(name: head.name ?? "", filename: filename, contentType: head.contentType, path: file.path, size: 0))
                        } else {
                            current = .field(head.name ?? "", [])
                        }
                    case .bodyChunk(let bytes):
                        switch current {
                        case .file(_, _, let file):
                            try file.write(bytes)
                            form.files[form.files.count - 1].size += bytes.count
                        case .field(let name, var value):
                            value.append(contentsOf: bytes)
                            current = .field(name, value)
                        case nil:
                            break
                        }
                    case .partEnd:
                        switch current {
                        case .file(_, _, let file):
                            try file.close()
                        case .field(let name, let value):
                            form.fields.append(MultipartForm.Field(name: name, value: String(decoding: value, as: UTF8.self)))
                        case nil:
                            break
                        }
                        current = nil
                    case .end:
                        break
                    }
                }
                if parser.isComplete {
                    // Drain the epilogue so the connection stays usable.
                    do throws(HTTPError) {
                        while try body.read(into: &chunk) > 0 {}
                    } catch {
                        throw .body(error)
                    }
                    break
                }
            }
        } catch {
            if case .file(_, _, let file) = current { try? file.close() }
            for file in form.files { _ = unlink(file.path) }
            throw error
        }
        return form
    }

    private enum Part {
        case field(String, [UInt8])
        case file(MultipartPartHead, String, TempFile)
    }
}
