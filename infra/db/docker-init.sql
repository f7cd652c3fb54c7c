-- Service roles and databases for the postgres container of docker-compose.yml.
--
-- The postgres image runs this once, with psql as the superuser, when it initialises an empty
-- data directory (/docker-entrypoint-initdb.d). It gives the same result as
-- infra/db/bootstrap.mjs, which does this job on machines without Docker: one LOGIN role and
-- one database per service, the database owned by its role, CONNECT revoked from PUBLIC and
-- from the other service roles (role hr cannot open a session on database transfer), and
-- CREATE on schema public for the owner only. Safe to run again (nothing is created twice).
--
-- DEV ONLY: each role's password is its own name.

\set ON_ERROR_STOP on
\set services '{transfer,hr,procurement,dignification,gateway}'

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', s, s)
  FROM unnest(:'services'::text[]) AS s
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = s)
\gexec

SELECT format('CREATE DATABASE %I OWNER %I TEMPLATE template0 ENCODING %L', s, s, 'UTF8')
  FROM unnest(:'services'::text[]) AS s
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = s)
\gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', s)
  FROM unnest(:'services'::text[]) AS s
\gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM %I', d, r)
  FROM unnest(:'services'::text[]) AS d, unnest(:'services'::text[]) AS r
 WHERE d <> r
\gexec

SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', s, s)
  FROM unnest(:'services'::text[]) AS s
\gexec

\connect transfer
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO transfer;

\connect hr
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO hr;

\connect procurement
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO procurement;

\connect dignification
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO dignification;

\connect gateway
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO gateway;
