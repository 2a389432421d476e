#!/bin/sh
# Entry point of the Repairs Online image. Runs the command given (gunicorn by default, celery, or
# manage.py), after filling in SECRET_KEY and FIELD_ENCRYPTION_KEYS when the environment leaves them
# empty and SECRETS_DIR names a folder to keep them in: made once, at random, and read back by every
# container sharing that folder (compose.yaml's data volume). Without SECRETS_DIR nothing is made, and
# the settings stop with their own clear error when a value is missing.
set -eu

keep_secret() {  # keep_secret NAME FILE COMMAND...: NAME from the environment, else FILE, else a new one
  name="$1"
  file="$2"
  shift 2
  eval "given=\${$name:-}"
  if [ -n "$given" ] || [ -z "${SECRETS_DIR:-}" ]; then
    return 0
  fi
  if [ ! -s "$file" ]; then
    (umask 077 && "$@" > "$file.new" && mv "$file.new" "$file")
  fi
  export "$name=$(cat "$file")"
}

if [ -n "${SECRETS_DIR:-}" ]; then
  mkdir -p "$SECRETS_DIR"
fi
keep_secret SECRET_KEY "${SECRETS_DIR:-}/secret_key" \
  python -c "import secrets; print(secrets.token_urlsafe(50))"
keep_secret FIELD_ENCRYPTION_KEYS "${SECRETS_DIR:-}/field_encryption_key" \
  python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"

exec "$@"
