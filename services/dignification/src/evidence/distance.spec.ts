import { distanceKm } from './distance';

describe('distanceKm', () => {
  it('measures great-circle distances', () => {
    const acatlan = { latitude: 20.144656, longitude: -98.440023 };
    expect(distanceKm(acatlan, acatlan)).toBe(0);
    // Half a degree of latitude is about 55.6 km anywhere.
    expect(distanceKm(acatlan, { latitude: 20.644656, longitude: -98.440023 })).toBeCloseTo(55.6, 0);
    // Pachuca to Mexico City's Zócalo, about 86 km.
    expect(distanceKm({ latitude: 20.1011, longitude: -98.7591 }, { latitude: 19.4326, longitude: -99.1332 })).toBeGreaterThan(80);
  });
});
