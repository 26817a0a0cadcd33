/**
 * Running a Ratis site inside one JVM: {@link dev.picsou.mirror.server.site.LocalSite} starts N servers on loopback
 * gRPC with a state machine per node from a factory, stops and restarts single nodes on their directories, and
 * triggers snapshots; {@link dev.picsou.mirror.server.site.SiteClients} builds clients with a bounded retry policy.
 */
package dev.picsou.mirror.server.site;
