# Shared by the bench/*/run.sh scripts: source it, then call pick_java.

# pick_java: prints JAVA_HOME if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm.
pick_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  while IFS= read -r dir; do candidates+=("$dir"); done < <(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV)
  for home in "${candidates[@]}"; do
    [[ -x "$home/bin/java" ]] || continue
    local version
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [[ "${version%%.*}" -ge 21 ]]; then echo "$home"; return; fi
  done
  echo "No JDK >= 21 found (set JAVA_HOME)" >&2; exit 1
}
