package io.metaxy.processor.model;

import io.metaxy.graph.FeaturePlan;
import java.util.Map;

/**
 * A feature with everything computed at compile time: its plan and versions, all computed by the
 * runtime's versioning code ({@code DefinitionVersions}, {@code FeaturePlan}).
 *
 * @param model the feature
 * @param plan the resolved plan (parents per field, join columns, lineage per dependency)
 * @param truncationLength the hash truncation used (0 = none)
 * @param featureVersion the feature version
 * @param codeVersion the feature code version
 * @param specVersion the feature spec version
 * @param definitionVersion the definition version
 * @param fieldVersions field key → version, in spec field order
 * @param tableName the feature's table name
 */
public record CompiledFeature(
    FeatureModel model,
    FeaturePlan plan,
    int truncationLength,
    String featureVersion,
    String codeVersion,
    String specVersion,
    String definitionVersion,
    Map<String, String> fieldVersions,
    String tableName) {}
