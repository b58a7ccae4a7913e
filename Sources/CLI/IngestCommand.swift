public enum IngestCommand { public static func main() {} }
