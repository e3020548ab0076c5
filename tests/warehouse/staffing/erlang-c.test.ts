import { describe, expect, it } from 'vitest';
import { agentsNeeded, averageSpeedOfAnswer, probabilityOfWaiting, serviceLevel, trafficErlangs } from '../../../warehouse/staffing/erlang-c.ts';

// Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example": 100 calls
// in 30 minutes, 180 s handling, 80% answered within 20 s. Traffic 10 Erlangs; with 11
// agents a call waits with probability 68.21% and the service level is 39%; 14 agents are
// needed (88.8%).
describe('Erlang C', () => {
  it('works out traffic in Erlangs from arrivals per hour and handling time', () => {
    expect(trafficErlangs(200, 180)).toBe(10);
  });

  it('matches the published probability of waiting and service level', () => {
    expect(probabilityOfWaiting(10, 11)).toBeCloseTo(0.6821, 4);
    expect(serviceLevel(10, 11, 180, 20)).toBeCloseTo(0.3896, 3);
    expect(serviceLevel(10, 12, 180, 20)).toBeCloseTo(0.6402, 3);
    expect(serviceLevel(10, 13, 180, 20)).toBeCloseTo(0.7956, 3);
    expect(serviceLevel(10, 14, 180, 20)).toBeCloseTo(0.8884, 3);
  });

  it('finds the fewest agents that meet the target', () => {
    const need = agentsNeeded({ arrivalsPerHour: 200, ahtSeconds: 180, targetSeconds: 20, targetShare: 0.8 });
    expect(need.agents).toBe(14);
    expect(need.occupancy).toBeCloseTo(10 / 14, 9);
    expect(need.averageSpeedOfAnswerSeconds).toBeCloseTo(averageSpeedOfAnswer(10, 14, 180), 9);
    expect(need.averageSpeedOfAnswerSeconds).toBeCloseTo(7.8, 1);
  });

  it('needs nobody when nothing arrives and everybody waits when agents cannot keep up', () => {
    expect(agentsNeeded({ arrivalsPerHour: 0, ahtSeconds: 180, targetSeconds: 180, targetShare: 0.8 }).agents).toBe(0);
    expect(probabilityOfWaiting(10, 10)).toBe(1);
    expect(serviceLevel(10, 9, 180, 20)).toBe(0);
    // a single contact an hour still needs one agent
    expect(agentsNeeded({ arrivalsPerHour: 1, ahtSeconds: 180, targetSeconds: 180, targetShare: 0.8 }).agents).toBe(1);
  });

  it('stays finite for large call centres (no factorial overflow)', () => {
    const need = agentsNeeded({ arrivalsPerHour: 20_000, ahtSeconds: 240, targetSeconds: 20, targetShare: 0.8 });
    expect(need.trafficErlangs).toBeCloseTo(1333.33, 1);
    expect(need.agents).toBeGreaterThan(1334);
    expect(need.agents).toBeLessThan(1400);
    expect(need.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(need.trafficErlangs, need.agents - 1, 240, 20)).toBeLessThan(0.8);
  });

  it('refuses a target share of 100% or more, which no staffing reaches', () => {
    expect(() => agentsNeeded({ arrivalsPerHour: 10, ahtSeconds: 180, targetSeconds: 180, targetShare: 1 })).toThrow(RangeError);
  });
});
