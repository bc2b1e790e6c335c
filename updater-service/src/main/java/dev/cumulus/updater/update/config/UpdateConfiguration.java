package dev.cumulus.updater.update.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Update worker settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UpdateProperties.class)
class UpdateConfiguration {}
