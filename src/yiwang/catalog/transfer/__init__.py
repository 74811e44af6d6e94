"""事项目录导入导出: the whole catalog as one JSON document (round-trip exact), and as an Excel workbook.

Import is idempotent: records are matched by their codes (items by code and version number), so
loading the same file twice changes nothing. Published and retired versions are immutable: an
import that would change one is refused whole, nothing written.

- `document`: the format — its name and version, the fields of each record, values to and from JSON;
- `exporting`: `catalog_export`, the database as a document;
- `importing`: `catalog_import`, a document into the database, all or nothing;
- `versions`: one item version of an import — a draft replaced, a published one refused or revised;
- `checks`: what is wrong with an incoming document, collected by path and reported at once;
- `excel`: the document as a workbook a catalog admin edits, and back.
"""
