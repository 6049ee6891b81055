// The replicas of the cluster (DescribeCluster): each one's roles, the shards it holds for the
// propeller and the scheduler, and its workers with their free capacity; and the shards that
// no live replica holds.
import {call} from "./api.js";
import {el, number, table, time} from "./dom.js";

/** "0-3, 7, 9-12" for a sorted list of shard numbers. */
function ranges(shards) {
  const parts = [];
  for (let i = 0; i < shards.length; i++) {
    let j = i;
    while (j + 1 < shards.length && shards[j + 1] === shards[j] + 1) j++;
    parts.push(i === j ? String(shards[i]) : `${shards[i]}-${shards[j]}`);
    i = j;
  }
  return parts.join(", ") || "none";
}

export async function clusterView(view) {
  const cluster = await call("DescribeCluster", {}, "starling.admin.ClusterService");
  const replicas = cluster.replicas || [];
  const rows = replicas.map(replica => {
    const workers = replica.workers || [];
    return el("tr", {"data-replica": replica.id},
        el("td", {}, replica.id, replica.self ? el("span", {class: "muted"}, " (answered)") : ""),
        el("td", {}, replica.grpcAddress || "—"),
        el("td", {}, (replica.roles || []).join(", ")),
        el("td", {}, replica.group || "—"),
        el("td", {}, time(replica.startedAt)),
        el("td", {class: "shards"}, shardCount(replica.propellerShards)),
        el("td", {class: "shards"}, shardCount(replica.schedulerShards)),
        el("td", {}, workers.length === 0 ? el("span", {class: "muted"}, "none")
            : workers.map(worker => el("div", {"data-worker": worker.workerId}, worker.workerId,
                el("span", {class: "muted"}, ` ${number(worker.free)}/${number(worker.capacity)} free · `
                    + (worker.queues || []).join(", "))))),
        el("td", {class: "number", "data-free": replica.freeCapacity || 0}, number(replica.freeCapacity)));
  });
  const unheld = [["propeller", cluster.unheldPropellerShards], ["scheduler", cluster.unheldSchedulerShards]]
      .filter(([, shards]) => shards && shards.length)
      .map(([role, shards]) => el("p", {class: "error-box", "data-unheld": role},
          `${number(shards.length)} ${role} shards held by no live replica: ${ranges(shards)}`
          + " (between owners, or their owner is gone and its leases have not expired yet)"));
  view.replaceChildren(el("h1", {}, "Cluster"),
      el("p", {id: "cluster-summary"}, `${number(replicas.length)} replica${replicas.length === 1
          ? "" : "s"}, ${number(cluster.shards)} shards per group`),
      unheld,
      table("replicas", ["replica", "gRPC address", "roles", "group", "started", "propeller shards",
        "scheduler shards", "workers", "free worker slots"], rows));
}

function shardCount(shards) {
  const list = shards || [];
  return el("span", {title: ranges(list)}, number(list.length),
      list.length ? el("span", {class: "muted"}, ` (${ranges(list)})`) : "");
}
