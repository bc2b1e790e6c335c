package dev.cumulus.kafka.topics.domain;

import java.util.List;

/** The cluster an instance's topics live on, as its Admin API describes it. */
public record ClusterInfo(String clusterId, Node controller, List<Node> brokers) {

  public record Node(int id, String host, int port, String rack) {}
}
