import CLI
IngestCommand.main()
