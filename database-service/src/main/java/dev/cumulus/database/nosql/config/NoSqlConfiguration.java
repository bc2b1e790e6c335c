package dev.cumulus.database.nosql.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the NoSQL settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NoSqlProperties.class)
class NoSqlConfiguration {}
