"""`make bench`: city-scale data in PostgreSQL and the timings of the pages people wait on."""
