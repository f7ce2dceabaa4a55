#!/bin/sh
# What an operator runs on a control-plane node without kubeadm at hand: one
# openssl process per certificate file. Usage: openssl_pki.sh DIR (an /etc/kubernetes).
set -eu
dir=${1:-/etc/kubernetes}
for f in "$dir"/pki/*.crt "$dir"/pki/etcd/*.crt; do
  printf '%s ' "$f"
  openssl x509 -noout -enddate -in "$f"
done
