# Shared by scripts/run, scripts/stop and scripts/test. Source it; it defines functions and defaults only.
# shellcheck shell=bash

SAGAFLOW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

sf_say() { echo "sagaflow: $*" >&2; }
sf_die() { echo "sagaflow: $*" >&2; exit 1; }

# The contract's environment, with its defaults. SAGAFLOW_HOME is made absolute.
sf_env_defaults() {
  export SAGAFLOW_HOME="${SAGAFLOW_HOME:-$SAGAFLOW_ROOT/var}"
  mkdir -p "$SAGAFLOW_HOME"
  SAGAFLOW_HOME=$(cd "$SAGAFLOW_HOME" && pwd)
  export SAGAFLOW_MQTT_PORT="${SAGAFLOW_MQTT_PORT:-1883}"
  export SAGAFLOW_HTTP_PORT="${SAGAFLOW_HTTP_PORT:-5000}"
  export SAGAFLOW_STOCK_FILE="${SAGAFLOW_STOCK_FILE:-$SAGAFLOW_ROOT/config/stock.json}"
  export SAGAFLOW_SAGAS_DIR="${SAGAFLOW_SAGAS_DIR:-$SAGAFLOW_ROOT/config/sagas}"
}

# Installs the Debian packages of scripts/lib/packages.txt that are missing. A machine that has them
# all never calls apt.
sf_ensure_packages() {  # [extra packages...]
  local wanted missing=() pkg
  wanted="$(grep -v '^\s*#' "$SAGAFLOW_ROOT/scripts/lib/packages.txt" | grep -v '^\s*$') $*"
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  sf_say "installing missing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || sf_die "packages missing (${missing[*]}) and not root: install them or run as root"
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || sf_die "apt-get update failed"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || sf_die "apt-get install ${missing[*]} failed"
}

# Configures (once) and builds a CMake preset: release, test, dev; optionally only the given targets.
sf_build() {
  local preset=$1
  shift
  local dir="$SAGAFLOW_ROOT/build/$preset"
  if [ ! -f "$dir/build.ninja" ]; then
    cmake --preset "$preset" -S "$SAGAFLOW_ROOT" >&2 || sf_die "cmake configure ($preset) failed"
  fi
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  cmake --build "$dir" -j "$(nproc)" "${targets[@]}" >&2 || sf_die "build ($preset) failed"
}

# The services of the manifest (manifest/service_manifest.cc), "<name> <port offset>" per line in start order,
# from the built sagaflow-broker-acl.
sf_manifest() {
  "$(sf_bin_dir)/sagaflow-broker-acl" --services || sf_die "cannot read the service manifest (is sagaflow-broker-acl built?)"
}

sf_services() { sf_manifest | cut -d' ' -f1; }

# The web console listens on the port after the five services' (the contract's port scheme).
SF_CONSOLE_PORT_OFFSET=5

sf_port_of() {  # the port a component listens on
  if [ "$1" = mosquitto ]; then
    echo "$SAGAFLOW_MQTT_PORT"
    return
  fi
  if [ "$1" = console ]; then
    echo $((SAGAFLOW_HTTP_PORT + SF_CONSOLE_PORT_OFFSET))
    return
  fi
  local offset
  offset=$(sf_manifest | awk -v name="$1" '$1 == name { print $2 }')
  [ -n "$offset" ] || sf_die "no service named $1 in the manifest"
  echo $((SAGAFLOW_HTTP_PORT + offset))
}

sf_pid_file() { echo "$SAGAFLOW_HOME/run/$1.pid"; }

# True if the component's pid file names a live process of that component.
sf_is_running() {
  local file pid
  file=$(sf_pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  local want=$1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$want" || return 1
  # A zombie (killed, not yet reaped) is not running.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]
}

# Who listens on a TCP port of 127.0.0.1/0.0.0.0, or nothing.
sf_port_owner() {
  ss -ltnpH "sport = :$1" 2>/dev/null | head -1 | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 (pid \2)/p'
}
sf_port_busy() { [ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]; }

sf_port_var_of() {
  case "$1" in
    mosquitto) echo SAGAFLOW_MQTT_PORT ;;
    order-service) echo SAGAFLOW_HTTP_PORT ;;
    console) echo "SAGAFLOW_HTTP_PORT (the console listens on it + $SF_CONSOLE_PORT_OFFSET)" ;;
    *) echo "SAGAFLOW_HTTP_PORT (the admin ports are above it)" ;;
  esac
}

# The broker's accounts, one per line: sagaflow's own and those the saga definitions of $SAGAFLOW_SAGAS_DIR name
# (docs/definitions.md#broker-accounts). Fails, with one line per problem on stderr, if a definition is broken.
sf_broker_accounts() {
  "$(sf_bin_dir)/sagaflow-broker-acl" --sagas-dir "$SAGAFLOW_SAGAS_DIR" --accounts
}

# One random password per broker account, created once: $SAGAFLOW_HOME/secrets/mqtt/<account> (mode 0600,
# the password alone on the first line). The services, the observer and the definitions' participants read them
# from there.
sf_ensure_broker_secrets() {
  local dir="$SAGAFLOW_HOME/secrets/mqtt" account accounts
  accounts=$(sf_broker_accounts) || { sf_say "cannot list the broker accounts (the lines above say why)"; return 1; }
  mkdir -p "$dir"
  chmod 700 "$SAGAFLOW_HOME/secrets" "$dir"
  for account in $accounts; do
    [ -s "$dir/$account" ] && continue
    (
      umask 077
      # 32 letters and digits: about 190 bits, and nothing a shell or the passwd format would mangle.
      echo "$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)" >"$dir/$account.new"
      mv "$dir/$account.new" "$dir/$account"
    )
    sf_say "created broker account $account (password in $dir/$account)"
  done
}

# The broker's password file (hashed by mosquitto_passwd from the secrets) and its ACL, made anew at
# every start so that a rotated secret or a new account takes effect with the next broker start.
sf_write_broker_auth() {
  local dir=$1 secrets="$SAGAFLOW_HOME/secrets/mqtt" account accounts
  sf_ensure_broker_secrets || return 1
  accounts=$(sf_broker_accounts) || return 1
  (
    umask 077
    : >"$dir/passwd.new"
    for account in $accounts; do
      printf '%s:%s\n' "$account" "$(head -n 1 "$secrets/$account")" >>"$dir/passwd.new"
    done
    mosquitto_passwd -U "$dir/passwd.new" || sf_die "mosquitto_passwd could not hash $dir/passwd.new"
    mv "$dir/passwd.new" "$dir/passwd"
    "$(sf_bin_dir)/sagaflow-broker-acl" --sagas-dir "$SAGAFLOW_SAGAS_DIR" >"$dir/acl.new" \
      || sf_die "sagaflow-broker-acl failed"
    mv "$dir/acl.new" "$dir/acl"
  )
}

sf_write_mosquitto_conf() {
  local dir="$SAGAFLOW_HOME/mosquitto"
  mkdir -p "$dir"
  # A broken definition must not start a broker with the previous accounts: fail instead.
  sf_write_broker_auth "$dir" >&2 || return 1
  sed -e "s|@PORT@|$SAGAFLOW_MQTT_PORT|" -e "s|@PERSISTENCE_DIR@|$dir|" -e "s|@USER@|$(id -un)|" \
    -e "s|@BROKER_PLUGIN@|$(sf_bin_dir)/sagaflow-broker-plugin.so|" \
    "$SAGAFLOW_ROOT/config/mosquitto.conf.in" >"$dir/mosquitto.conf"
  echo "$dir/mosquitto.conf"
}

sf_bin_dir() { echo "$SAGAFLOW_ROOT/build/${SAGAFLOW_BUILD_PRESET:-release}/bin"; }

# Starts one component in the background (output appended to its log) and writes its pid file.
sf_start() {
  local name=$1 port
  port=$(sf_port_of "$name")
  if sf_port_busy "$port"; then
    local owner
    owner=$(sf_port_owner "$port")
    sf_say "port $port for $name is already in use${owner:+ by $owner}; choose another with $(sf_port_var_of "$name")"
    return 1
  fi
  local log="$SAGAFLOW_HOME/log/$name.log"
  if [ "$name" = mosquitto ]; then
    local conf
    conf=$(sf_write_mosquitto_conf) || { sf_say "mosquitto not started: its accounts could not be written"; return 1; }
    setsid mosquitto -c "$conf" >>"$log" 2>&1 &
  elif [ "$name" = console ]; then
    # The console redrives through the orchestrator with the admin token, which the first service to start writes.
    local waited=0
    while [ ! -s "$SAGAFLOW_HOME/secrets/admin-token" ] && [ $waited -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    setsid "$(sf_bin_dir)/sagaflow-console" --home "$SAGAFLOW_HOME" >>"$log" 2>&1 &
  else
    setsid "$(sf_bin_dir)/$name" --home "$SAGAFLOW_HOME" >>"$log" 2>&1 &
  fi
  echo $! >"$(sf_pid_file "$name")"
  sf_say "started $name (pid $!, port $port, log $log)"
}

# The components this checkout can start: the broker (unless SAGAFLOW_MQTT_URL), each built service, and the
# web console last (it reads what the services write).
sf_components() {
  [ -z "${SAGAFLOW_MQTT_URL:-}" ] && echo mosquitto
  local name
  for name in $(sf_services); do
    [ -x "$(sf_bin_dir)/$name" ] && echo "$name"
  done
  [ -x "$(sf_bin_dir)/sagaflow-console" ] && echo console
  return 0
}

sf_wait_port() {  # port seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

sf_wait_health() {  # name seconds
  local port deadline=$((SECONDS + $2))
  port=$(sf_port_of "$1")
  while [ $SECONDS -lt $deadline ]; do
    # Loopback only: the service's own health endpoint.
    local health_url="http://127.0.0.1:$port/health"
    curl -sf -o /dev/null --max-time 2 "$health_url" && return 0
    sleep 0.2
  done
  return 1
}

# SIGTERM, then SIGKILL after 10 s, for one component; removes its pid file.
sf_stop_one() {
  local name=$1 file pid
  file=$(sf_pid_file "$name")
  if sf_is_running "$name"; then
    pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + 10))
    while [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ] && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
    if [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]; then
      sf_say "$name (pid $pid) did not stop in 10 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
    sf_say "stopped $name"
  fi
  rm -f "$file"
}
