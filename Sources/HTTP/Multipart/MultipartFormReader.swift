import Foundation
import Glibc

/// Reads a whole `multipart/form-data` body: fields into memory, files straight to disk.
///
/// The body is pulled from the request's ``BodyStream`` 256 KiB at a time and fed to a
/// ``MultipartParser``; each file part's bytes are written to its temp file as they arrive, so
/// an upload of any size uses constant memory. Use it from a route with
/// ``RouteOptions/streamingBody`` for large uploads (on other routes it reads the buffered body).
package enum MultipartFormReader {
    /// Reads the form of `request`, whose `Content-Type` must be `multipart/form-data` with a
    /// boundary.
    ///
    /// - Parameters:
    ///   - fileDirectory: an existing directory for the uploaded files. On error every file
    ///     written so far is removed; on success the caller owns them.
    /// - Throws: ``MultipartError``; it adopts ``HTTPResponseError``, so a handler may let it
    ///   propagate.
    package static func read(
        _ request: HTTPRequest, fileDirectory: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> MultipartForm {
        guard let contentType = request.headers["Content-Type"],
              let boundary = MultipartParser.boundary(fromContentType: contentType)
        else { throw .notMultipart }
        return try read(request.body, boundary: boundary, fileDirectory: fileDirectory, limits: limits)
    }

    /// How many body bytes one read asks for: large reads keep system calls and parser steps
    /// per byte low; the parser's buffer is about this size.
    static let readSize = 256 * 1024

    /// Reads a form from `body` split by `boundary`.
    ///
    /// The body is read straight into the parser's buffer (``MultipartParser/fill(upTo:_:)``)
    /// and file content is written to disk from that same buffer, so each byte is copied once
    /// from the socket and once to the file.
    package static func read(
        _ body: BodyStream, boundary: String, fileDirectory: String, limits: MultipartLimits = MultipartLimits()
    ) throws(MultipartError) -> MultipartForm {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        var form = MultipartForm()
        // The part being read: a file being written, or a field being collected.
        var file: TempFile?
        var fieldName: String?
        var fieldValue: [UInt8] = []
        do throws(MultipartError) {
            while true {
                let count: Int
                do throws(HTTPError) {
                    count = try parser.fill(upTo: readSize) { (buffer) throws(HTTPError) in try body.read(into: buffer) }
                } catch {
                    throw .body(error)
                }
                if count == 0 {
                    try parser.finish()
                    break
                }
                try parser.process { (piece: MultipartParser.Piece) throws(MultipartError) in
                    switch piece {
                    case .partHeaders(let head):
                        if let filename = head.filename {
                            let created = try TempFile.create(in: fileDirectory)
                            file = created
                            form.files.append(
                                MultipartFile(name: head.name ?? "", filename: filename, contentType: head.contentType, path: created.path, size: 0)
                            )
                        } else {
                            fieldName = head.name ?? ""
                            fieldValue.removeAll(keepingCapacity: true)
                        }
                    case .bodyChunk(let bytes):
                        if let file {
                            try file.write(bytes)
                            form.files[form.files.count - 1].size += bytes.count
                        } else if fieldName != nil {
                            fieldValue.append(contentsOf: bytes)
                        }
                    case .partEnd:
                        if let current = file {
                            file = nil
                            try current.close()
                        } else if let name = fieldName {
                            form.fields.append(MultipartForm.Field(name: name, value: String(decoding: fieldValue, as: UTF8.self)))
                            fieldName = nil
                        }
                    case .end:
                        break
                    }
                }
                if parser.isComplete {
                    // Drain the epilogue so the connection stays usable.
                    var chunk: [UInt8] = []
                    do throws(HTTPError) {
                        while try body.read(into: &chunk) > 0 {}
                    } catch {
                        throw .body(error)
                    }
                    break
                }
            }
        } catch {
            try? file?.close()
            for written in form.files { _ = unlink(written.path) }
            throw error
        }
        return form
    }
}
