import Foundation

/// One definition file as loaded: its compiled definition (if any) and its problems.
///
/// With hot reload the two can disagree on purpose: when an edit breaks a file that used to
/// compile, `definition` keeps the previous good version (still served) while `problems` shows
/// what is wrong with the file as it is now. `contentHash` always describes `definition`, so a
/// run can record exactly which version it used.
package struct LoadedDefinition: Sendable, Equatable {
    /// The importer id: the definition's slug, or the file name without `.json` when the file
    /// does not compile.
    package var slug: String
    /// The file's path on disk, as given to the loader.
    package var path: String
    /// The file as shown in problems, e.g. `importers/products.json`.
    package var fileName: String
    /// Lowercase hex SHA-256 of the bytes `definition` was compiled from; of the current bytes
    /// when there is no definition.
    package var contentHash: String
    /// Lowercase hex SHA-256 of the bytes on disk now (differs from `contentHash` while a broken
    /// edit is pending).
    package var fileContentHash: String
    /// The definition being served; nil when the file has never compiled.
    package var definition: ImporterDefinition?
    /// Everything wrong with the file as it is now; empty when it compiles.
    package var problems: [DefinitionProblem]
    /// When `definition` was compiled (or, without one, when the file was last read).
    package var loadedAt: Date

    package init(
        slug: String, path: String, fileName: String, contentHash: String, fileContentHash: String? = nil,
        definition: ImporterDefinition?, problems: [DefinitionProblem], loadedAt: Date = Date()
    ) {
        self.slug = slug; self.path = path; self.fileName = fileName; self.contentHash = contentHash
        self.fileContentHash = fileContentHash ?? contentHash; self.definition = definition
        self.problems = problems; self.loadedAt = loadedAt
    }

    /// True when the file compiles as it is now.
    package var isValid: Bool { problems.isEmpty && definition != nil }

    /// True when a previous good version is served while the current file is broken.
    package var isServingPreviousVersion: Bool { definition != nil && !problems.isEmpty }
}
