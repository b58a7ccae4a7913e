/// Phase 1's first half: a column's raw value and its transforms, within the value cap.
extension RowProcessor {
    /// A column's value after its transforms: plain text (the fast path), a value that a
    /// numeric step or `split` made, or the state of a column that failed on the way.
    enum Transformed {
        case text(String)
        case value(CellValue)
        case failed(State)
    }

    /// The raw value of column `c` (cell, constant or template) through its transforms, checked
    /// against `limit` bytes after the template and after every step.
    @inline(__always)
    func transformed(_ c: Int, _ cells: [String], _ plan: ColumnPlan, limit: Int) -> Transformed {
        var text: String
        let index = cellIndexes[c]
        if index >= 0 {
            text = index < cells.count ? cells[index] : ""
        } else {
            switch sources[c] {
            case .cell(let i): text = i < cells.count ? cells[i] : ""
            case .constant(let s): text = s
            case .pieces(let pieces):
                guard let built = RowProcessor.build(pieces, cells, limit: limit) else { return .failed(.tooLarge) }
                text = built
            }
        }
        if text.utf8.count > limit { return .failed(.tooLarge) }
        // Fast path: text-to-text transforms on a plain String.
        let transforms = self.transforms
        let transformWhen = self.transformWhen
        var k = transformStart[c]
        let end = transformStart[c + 1]
        while k < end {
            if transformWhen[k] >= 0 && !holds[transformWhen[k]] { k += 1; continue }
            guard let out = transforms[k].applyText(text, limit: limit) else { break }
            if out.utf8.count > limit { return .failed(.tooLarge) }
            text = out
            k += 1
        }
        if k == end { return .text(text) }
        var value = CellValue.text(text)
        while k < end {
            if transformWhen[k] >= 0 && !holds[transformWhen[k]] { k += 1; continue }
            if case .concat(_, let indexes, let separator) = transforms[k] {
                guard let joined = Transform.concat(indexes, separator: separator, row: cells, limit: limit) else { return .failed(.tooLarge) }
                value = .text(joined)
                k += 1
                continue
            }
            switch transforms[k].apply(value, separators: plan.separators, limit: limit) {
            case .success(let v): value = v
            case .failure(.notANumber): return .failed(.numberFailed)
            case .failure(.tooLarge): return .failed(.tooLarge)
            }
            if BoundedText.size(of: value) > limit { return .failed(.tooLarge) }
            k += 1
        }
        return .value(value)
    }
}
