#!/usr/bin/env bash
# Issue 28 fault run: 20 minutes of Connect Four (standard preset) whose games come from two actor
# processes over the machine's Redis; actors killed (SIGKILL) and restarted every few minutes, the
# learner killed once and resumed. Beside it, at the same time (same machine load), an undisturbed
# local run of the same length and seed for comparison.
set -u
# Run from the repository root after npm run build.
A="node $PWD/dist/src/cli/main.js"
R=redis://127.0.0.1:6379/0
D=$PWD/runs/fault
mkdir -p $D
CFG=$D/config.json
echo '{"final":{"games":0}}' > $CFG
cd $D
log() { echo "$(date +%H:%M:%S) $*" >> $D/events.log; }
$A train --game connect4 --preset standard --minutes 20 --seed 28 --config $CFG --run-dir $D/local --workers 2 > $D/local.log 2>&1 &
LOCAL=$!
$A train --game connect4 --preset standard --minutes 20 --seed 28 --config $CFG --run-dir $D/redis --redis $R --redis-run fault28 > $D/learner.log 2>&1 &
L=$!; log "learner $L started"
sleep 8
start_actor() { $A actor --redis $R --run fault28 --workers 1 --id $1 --seed $1-$2 >> $D/actor-$1.log 2>&1 & echo $!; }
A1=$(start_actor a 0); A2=$(start_actor b 0); log "actors a=$A1 b=$A2"
sleep 240; kill -9 $A1; log "killed actor a"; sleep 20; A1=$(start_actor a 1); log "actor a restarted $A1"
sleep 200; kill -9 $A2; log "killed actor b"; sleep 20; A2=$(start_actor b 1); log "actor b restarted $A2"
sleep 100; kill -9 $L; log "killed learner"; sleep 15
$A train --resume --run-dir $D/redis --minutes 20 --redis $R > $D/learner2.log 2>&1 &
L=$!; log "learner resumed $L"
sleep 180; kill -9 $A1; log "killed actor a"; sleep 20; A1=$(start_actor a 2); log "actor a restarted $A1"
wait $L; log "learner finished"
kill -INT $A1 $A2; sleep 20; kill -9 $A1 $A2 2>/dev/null; log "actors stopped"
wait $LOCAL; log "local finished"
