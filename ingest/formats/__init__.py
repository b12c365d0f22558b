"""One small reader per file format; `ingest.read.read_document` picks one by suffix.

Each reader takes the file's bytes and returns a RawDocument or raises ReadError.
"""
