import { describe, expect, it } from 'vitest';
import type { Instance } from '../api/identity';
import type { StoredObject } from '../api/storage';
import { breadcrumbs, folderView, nameIn, uploadKey } from './folders';
import { byType, formatBytes, isSettled, statusColor, typeLabel } from './format';
import { instanceRoute, SERVICE_PAGES, servicePage } from './planned';
import { quotaRows } from './quota';
import { parseRoute, routePath, type Route } from './route';
import { chartPoints, niceMax, pushSample } from './series';

const object = (key: string): StoredObject => ({ key, size: 1, etag: 'e', contentType: 'text/plain', lastModified: '' });

describe('folderView', () => {
  const objects = ['a.txt', 'docs/b.txt', 'docs/sub/c.txt', 'docs/sub/d.txt', 'img/e.png'].map(object);

  it('shows the top level as folders and files', () => {
    const view = folderView(objects, '');
    expect(view.folders).toEqual(['docs/', 'img/']);
    expect(view.files.map((f) => f.key)).toEqual(['a.txt']);
  });

  it('shows one folder level below a prefix, ignoring keys outside it', () => {
    const view = folderView(objects, 'docs/');
    expect(view.folders).toEqual(['docs/sub/']);
    expect(view.files.map((f) => f.key)).toEqual(['docs/b.txt']);
    expect(nameIn('docs/', 'docs/sub/')).toBe('sub/');
  });

  it('trails breadcrumbs for each ancestor', () => {
    expect(breadcrumbs('docs/sub/')).toEqual([
      { label: 'docs', prefix: 'docs/' },
      { label: 'sub', prefix: 'docs/sub/' },
    ]);
    expect(breadcrumbs('')).toEqual([]);
    expect(uploadKey('docs/', 'x.pdf')).toBe('docs/x.pdf');
  });
});

describe('format', () => {
  it('writes sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(500 * 1024 ** 3)).toBe('500 GiB');
  });

  it('colours statuses: provisioning waits, running is ready, failed is red', () => {
    expect(statusColor('provisioning')).toBe('yellow');
    expect(statusColor('running')).toBe('green');
    expect(statusColor('failed')).toBe('red');
    expect(isSettled('provisioning')).toBe(false);
    expect(isSettled('running')).toBe(true);
  });

  it('groups instances by type in the menu order, whatever the case of the type', () => {
    const instance = (serviceName: string, serviceType: string) =>
      ({ id: serviceName, serviceName, serviceType, tenantId: 't', status: 'running', createdAt: '' }) as Instance;
    const groups = byType([instance('q', 'Queue'), instance('b', 'S3Storage'), instance('a', 'S3Storage')]);
    expect(groups.map((g) => g.type)).toEqual(['s3storage', 'queue']);
    expect(groups[0].items.map((i) => i.serviceName)).toEqual(['a', 'b']);
    expect(typeLabel('RDSDatabase')).toBe('Relational database');
  });
});

describe('quotaRows', () => {
  it('shows counts and bytes against the limits', () => {
    const rows = quotaRows({
      tenantId: 'acme',
      plan: 'free',
      quotas: { instances: 5, stored_bytes: 5 * 1024 ** 3, max_object_bytes: 1024 },
      used: { instances: 5, stored_bytes: 1024 },
    });
    expect(rows).toEqual([
      { name: 'instances', label: 'Service instances', text: '5 of 5', percent: 100 },
      { name: 'stored_bytes', label: 'Stored data', text: '1.0 KiB of 5.0 GiB', percent: 0 },
    ]);
  });
});

describe('routes', () => {
  it('parses every page and writes it back', () => {
    const routes: [string, Route][] = [
      ['/console', { page: 'home' }],
      ['/console/', { page: 'home' }],
      ['/console/storage', { page: 'storage' }],
      ['/console/users', { page: 'users' }],
      ['/console/audit', { page: 'audit' }],
      ['/console/tenants', { page: 'tenants' }],
      ['/console/storage/0b6a3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b2c', { page: 'storage', instanceId: '0b6a3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b2c' }],
      ['/console/services/queues', { page: 'service', service: 'queues' }],
      [
        '/console/services/kafka/0b6a3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b2c',
        { page: 'service', service: 'kafka', instanceId: '0b6a3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b2c' },
      ],
    ];
    for (const [path, route] of routes) {
      expect(parseRoute(path)).toEqual(route);
    }
    expect(routePath({ page: 'storage', instanceId: 'x' })).toBe('/console/storage/x');
    expect(routePath({ page: 'service', service: 'kafka' })).toBe('/console/services/kafka');
    expect(routePath({ page: 'service', service: 'kafka', instanceId: 'x' })).toBe('/console/services/kafka/x');
  });

  it('answers not-found for anything else', () => {
    expect(parseRoute('/consoles')).toEqual({ page: 'not-found' });
    expect(parseRoute('/console/storage/not-a-uuid')).toEqual({ page: 'not-found' });
    expect(parseRoute('/console/services/../x')).toEqual({ page: 'not-found' });
    expect(parseRoute('/console/services/kafka/not-a-uuid')).toEqual({ page: 'not-found' });
  });

  it('has an address for each service page', () => {
    for (const service of SERVICE_PAGES) {
      expect(parseRoute(routePath({ page: 'service', service: service.id }))).toEqual({ page: 'service', service: service.id });
      expect(servicePage(service.id)?.tasks.length).toBeGreaterThan(0);
    }
    expect(servicePage('nope')).toBeUndefined();
  });

  it('links an instance to the page of its type, whatever the case of the type', () => {
    const id = '0b6a3c2e-1d2f-4e5a-9b8c-7d6e5f4a3b2c';
    expect(instanceRoute({ id, serviceType: 'S3Storage' })).toEqual({ page: 'storage', instanceId: id });
    expect(instanceRoute({ id, serviceType: 'RDSDatabase' })).toEqual({ page: 'service', service: 'rds', instanceId: id });
    expect(instanceRoute({ id, serviceType: 'Queue' })).toEqual({ page: 'service', service: 'queues', instanceId: id });
    expect(instanceRoute({ id, serviceType: 'teleporter' })).toBeNull();
  });
});

describe('live chart series', () => {
  it('keeps the newest samples', () => {
    let samples: number[][] = [];
    for (let i = 1; i <= 5; i++) {
      samples = pushSample(samples, [i], 3);
    }
    expect(samples).toEqual([[3], [4], [5]]);
  });

  it('tops the chart at 1, 2 or 5 times a power of ten', () => {
    expect(niceMax([])).toBe(1);
    expect(niceMax([[0, 0]])).toBe(1);
    expect(niceMax([[3, 7]])).toBe(10);
    expect(niceMax([[12], [130]])).toBe(200);
    expect(niceMax([[450]])).toBe(500);
    expect(niceMax([[500]])).toBe(500);
  });

  it('draws the newest sample at the right edge, values from the bottom up', () => {
    expect(chartPoints([0, 5, 10], 100, 50, 10, 3)).toBe('0.0,50.0 50.0,25.0 100.0,0.0');
    // Two samples of a chart that keeps five: the right quarter of the width.
    expect(chartPoints([10, 0], 100, 50, 10, 5)).toBe('75.0,0.0 100.0,50.0');
  });
});
