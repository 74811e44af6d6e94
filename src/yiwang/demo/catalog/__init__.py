"""The demo catalog of 示范市, one module per group of departments; assembled by `yiwang.demo.catalog_data`."""
