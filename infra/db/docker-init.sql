-- Service roles and databases for the postgres container of docker-compose.yml.
--
-- The postgres image runs this once, with psql as the superuser, when it initialises an empty
-- data directory (/docker-entrypoint-initdb.d). It gives the same result as
-- infra/db/bootstrap.mjs, which does this job on machines without Docker (its header explains
-- the roles): per service <s> a LOGIN role <s> that owns database <s> and runs the migrations,
-- and a LOGIN role <s>_app that the running service connects as, which may read and write rows
-- but owns nothing (on audit_log only INSERT and SELECT). CONNECT is revoked from PUBLIC and
-- from the other services' roles (neither hr nor hr_app can open a session on database
-- transfer), and only the owner may create objects in schema public. Safe to run again
-- (nothing is created twice).
--
-- A data directory initialised before the <s>_app roles existed does not run this again: apply
-- it by hand (docker compose exec -T postgres psql -U postgres -f - < infra/db/docker-init.sql)
-- or start from empty volumes (npm run reset -- --docker).
--
-- DEV ONLY: each role's password is its own name.

\set ON_ERROR_STOP on
\set services '{transfer,hr,procurement,dignification,gateway}'

-- Each service's two roles: the owner <s> and the runtime role <s>_app.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', r, r)
  FROM unnest(:'services'::text[]) AS s, unnest(ARRAY[s, s || '_app']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

SELECT format('CREATE DATABASE %I OWNER %I TEMPLATE template0 ENCODING %L', s, s, 'UTF8')
  FROM unnest(:'services'::text[]) AS s
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = s)
\gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', s)
  FROM unnest(:'services'::text[]) AS s
\gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM %I, %I', d, r, r || '_app')
  FROM unnest(:'services'::text[]) AS d, unnest(:'services'::text[]) AS r
 WHERE d <> r
\gexec

-- TEMPORARY for the app role too: imports stage rows in temporary tables.
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I, %I', s, s, s || '_app')
  FROM unnest(:'services'::text[]) AS s
\gexec

-- Schema public of each database: the statements of docker-init-schema.psql (mounted beside
-- this script; not a .sql file, so the image does not run it alone) with :owner and :app set.

\connect transfer
\set owner transfer
\set app transfer_app
\ir docker-init-schema.psql

\connect hr
\set owner hr
\set app hr_app
\ir docker-init-schema.psql

\connect procurement
\set owner procurement
\set app procurement_app
\ir docker-init-schema.psql

\connect dignification
\set owner dignification
\set app dignification_app
\ir docker-init-schema.psql

\connect gateway
\set owner gateway
\set app gateway_app
\ir docker-init-schema.psql

