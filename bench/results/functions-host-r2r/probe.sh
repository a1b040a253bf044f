#!/bin/bash
# Alternates a plain and a ReadyToRun publish of Acms.Functions on the real host (kit), each on a fresh clone of the
# bench database: seconds to the first 200 of a keyed route (/api/v2/me; printed as health_s), then the first
# topic-extraction run through its HTTP trigger. /api/health was the first readiness probe tried: it never answered 200 on this
# database (its health report, not the host, was the reason), so the script waits on /api/v2/me instead.
KIT=/work/shared/functions-host
TPL=bench_tpl_m100000_u2000_q200000_s42_qh_ql
P="psql -h /tmp -p 5499 -U postgres -Atq"
W=/tmp/r2r; rm -rf $W/azdata; mkdir -p $W/azdata $W/secrets
cat > $W/secrets/host.json <<'J'
{"masterKey":{"name":"master","value":"probe-master","encrypted":false},"functionKeys":[{"name":"default","value":"probe-key","encrypted":false}],"systemKeys":[]}
J
AZURITE_PORT=10100 $KIT/azurite.sh $W/azdata > $W/azurite.log 2>&1 & AZ=$!
until curl -s -o /dev/null http://127.0.0.1:10100/; do sleep 0.2; done
AZCS="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;"
for i in 1 2 3; do for v in R N; do
  $P -c "DROP DATABASE IF EXISTS r2r_probe WITH (FORCE)"; $P -c "CREATE DATABASE r2r_probe TEMPLATE $TPL"
  export ConnectionStrings__Acms="Host=/tmp;Port=5499;Username=postgres;Database=r2r_probe" AzureWebJobsStorage="$AZCS" \
    AzureWebJobsSecretStorageType=files FUNCTIONS_SECRETS_PATH=$W/secrets FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    AZURE_FUNCTIONS_ENVIRONMENT=Development AzureFunctionsWebHost__hostid=r2r-probe-$v$i \
    DecaySchedule='0 0 3 1 1 *' DedupSchedule='0 0 4 1 1 *' CleanupSchedule='0 0 5 1 1 *' TopicExtractionSchedule='0 0 6 1 1 *' \
    Jobs__TopicExtraction__Pace=0 InsightGenerationSchedule='0 0 2 1 1 *' WeeklyReportSchedule='0 0 6 1 1 *'
  t0=$(date +%s.%N)
  $KIT/start.sh /tmp/pub$v --port 7190 --no-local-settings > $W/host-$v$i.log 2>&1 & H=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'x-functions-key: probe-key' http://127.0.0.1:7190/api/v2/me)" = 200 ]; do sleep 0.1; if ! kill -0 $H 2>/dev/null; then echo "host died"; tail -20 $W/host-$v$i.log; break; fi; done
  t1=$(date +%s.%N)
  # Left from an earlier version of this script and run as recorded: no such route, so the unmatched-route function answers.
  curl -s -H 'x-functions-key: probe-key' http://127.0.0.1:7190/api/v2/jobs/health >/dev/null
  out=$(curl -s -m 300 -X POST -H 'x-functions-key: probe-key' http://127.0.0.1:7190/api/v2/jobs/topic_extraction/run)
  t2=$(date +%s.%N)
  echo "$v$i health_s=$(echo "$t1-$t0"|bc) run_call_s=$(echo "$t2-$t1"|bc) $(echo "$out" | python3 -c 'import json,sys
d=json.load(sys.stdin); d=d.get("data",d); print(d.get("status"),"job_ms",d.get("execution_time_ms"),{k:d.get(k) for k in ("read_ms","extract_ms","write_ms")})' 2>&1 | head -3)"
  echo "$out" > $W/run-$v$i.json
  kill $H; wait $H 2>/dev/null
done; done
kill $AZ
