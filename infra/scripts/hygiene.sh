#!/usr/bin/env bash
# bash infra/scripts/hygiene.sh [--audit] [repository directory]   (default: this checkout)
#
# --audit also runs `npm audit --omit=dev --audit-level=high` (needs the registry's audit
# endpoint): high or critical advisories in production dependencies fail the check.
#
# Fails (exit 1, listing file:line) when a file tracked by git holds a secret:
#   - a private key (PEM "BEGIN … PRIVATE KEY"), an AWS access key id, a GitHub, npm, Slack or
#     Google API token, or something shaped like a signed JWT;
#   - a committed .env file (.env, .env.local, … — only .env.example / .env.sample may be tracked);
#   - a URL with a password (scheme://user:password@host), unless the password is the user name
#     (the documented development convention: role = password = service name) or a placeholder;
#   - a PASSWORD / SECRET / TOKEN / API_KEY setting with a literal value in a configuration file
#     (.env, .yml, .yaml, .properties, .json, .conf), unless it is a development default: the
#     name of a service role or 'postgres'.
# Only tracked files are read (git ls-files), so build output and node_modules never count.
set -euo pipefail

AUDIT=0
if [[ "${1:-}" == --audit ]]; then
  AUDIT=1
  shift
fi
REPO="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$REPO"

DEV_VALUES='^(transfer|hr|procurement|dignification|gateway|postgres)$'
PLACEHOLDERS='^(password|pass|secret|changeme|x+|\*+|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>|\[[^]]*\]?)$'

findings=()
add() { findings+=("$1"); }

mapfile -d '' FILES < <(git ls-files -z)

# 1. Key material and tokens, in any tracked text file.
TOKEN_PATTERNS=(
  -e '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----'
  -e 'AKIA[0-9A-Z]{16}'
  -e 'gh[pousr]_[A-Za-z0-9]{36}'
  -e 'github_pat_[A-Za-z0-9_]{40,}'
  -e 'npm_[A-Za-z0-9]{36}'
  -e 'xox[abposr]-[A-Za-z0-9-]{10,}'
  -e 'AIza[0-9A-Za-z_-]{35}'
  -e 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}'
)
if ((${#FILES[@]})); then
  while IFS= read -r hit; do
    add "key or token: ${hit:0:160}"
  done < <(printf '%s\0' "${FILES[@]}" | xargs -0 grep -H -I -n -E "${TOKEN_PATTERNS[@]}" -- 2>/dev/null || true)
fi

# 2. Committed .env files.
for f in "${FILES[@]}"; do
  base="$(basename "$f")"
  if [[ "$base" == .env || "$base" == .env.* ]] && [[ "$base" != .env.example && "$base" != .env.sample ]]; then
    add "committed environment file: $f"
  fi
done

# 3. Passwords in URLs.
if ((${#FILES[@]})); then
  while IFS= read -r hit; do
    file="${hit%%:*}"
    rest="${hit#*:}"
    line="${rest%%:*}"
    url="${rest#*:}"
    creds="${url#*://}"
    creds="${creds%%@*}"
    creds="${creds//[\[\]]/}" # documentation writes optional parts as user[:password]
    user="${creds%%:*}"
    pass="${creds#*:}"
    if [[ "$pass" == "$user" || "$pass" =~ $PLACEHOLDERS ]]; then continue; fi
    add "password in a URL: $file:$line: ${url:0:120}"
  done < <(printf '%s\0' "${FILES[@]}" | xargs -0 grep -H -I -n -o -E "[a-z][a-z0-9+.-]*://[^/[:space:]:@'\"\`]+:[^@[:space:]/'\"\`]+@[^[:space:]'\"\`]+" -- 2>/dev/null || true)
fi

# 4. Secret settings with literal values in configuration files.
CONFIGS=()
for f in "${FILES[@]}"; do
  case "$f" in
    *.env | .env* | */.env* | *.yml | *.yaml | *.properties | *.json | *.conf) CONFIGS+=("$f") ;;
  esac
done
if ((${#CONFIGS[@]})); then
  while IFS= read -r hit; do
    value="$(sed -E 's/^[^:]*:[0-9]+:.*(PASSWORD|SECRET|TOKEN|API_KEY)[A-Za-z0-9_]*"?[[:space:]]*[:=][[:space:]]*["'"'"']?([^"'"'"'[:space:],}]*).*/\2/I' <<<"$hit")"
    # A key that opens an object or a list ("accessToken": { … } in an OpenAPI document) holds no literal.
    if [[ -z "$value" || "$value" =~ $DEV_VALUES || "$value" =~ $PLACEHOLDERS || "$value" == true || "$value" == false || "$value" =~ ^[0-9]+$ || "$value" == [\{\[]* ]]; then continue; fi
    add "secret setting: ${hit:0:160}"
  done < <(printf '%s\0' "${CONFIGS[@]}" | xargs -0 grep -H -I -n -i -E '(PASSWORD|SECRET|TOKEN|API_KEY)[A-Za-z0-9_]*"?[[:space:]]*[:=][[:space:]]*[^[:space:]]' -- 2>/dev/null | grep -v -i -E 'package-lock\.json' || true)
fi

if ((AUDIT)); then
  if ! audit_out="$(npm audit --omit=dev --audit-level=high 2>&1)"; then
    if grep -q 'audit endpoint returned an error' <<<"$audit_out"; then
      add "npm audit could not run (the registry's audit endpoint refused: $(grep -o '[0-9]\{3\} [A-Za-z ]*- POST[^ ]*' <<<"$audit_out" | head -1))"
    else
      add "npm audit --omit=dev found high or critical advisories:"$'\n'"$audit_out"
    fi
  fi
fi

if ((${#findings[@]})); then
  printf 'hygiene: %d problem(s):\n' "${#findings[@]}" >&2
  printf '  %s\n' "${findings[@]}" >&2
  exit 1
fi
echo "hygiene: ${#FILES[@]} tracked files, no secrets found"
