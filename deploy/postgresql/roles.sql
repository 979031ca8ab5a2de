-- Roles for Open12348 (run once on the primary as postgres). Passwords go in /etc/open12348/env only.
CREATE ROLE open12348 LOGIN PASSWORD 'change-me';              -- the application (owns the schema; runs migrations)
CREATE DATABASE open12348 OWNER open12348 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;
CREATE ROLE replicator LOGIN REPLICATION PASSWORD 'change-me'; -- streaming replication
-- Read-only login used by DATABASE_REPLICA_URL (the replica is read-only anyway; this keeps it so on failover).
CREATE ROLE open12348_ro LOGIN PASSWORD 'change-me';
\c open12348
GRANT USAGE ON SCHEMA public TO open12348_ro;
ALTER DEFAULT PRIVILEGES FOR ROLE open12348 IN SCHEMA public GRANT SELECT ON TABLES TO open12348_ro;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO open12348_ro;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
