# The database image of docker-compose.yml: PostgreSQL 15 with the RUM extension, so
# the library ranks every match from the index (knowledge_base migration 0006).
# Without it the search still works (GIN index, every match ranked from the table).
FROM postgres:15
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15-rum \
    && rm -rf /var/lib/apt/lists/*
