/**
 * Erlang C: the M/M/N queue behind classic contact-centre staffing. Contacts arrive at
 * random (Poisson), each takes an agent `ahtSeconds` on average, and waits while every
 * agent is busy. Pure functions, no I/O.
 */

/** Offered traffic in Erlangs: arrivals per hour x handling time in hours. */
export function trafficErlangs(arrivalsPerHour: number, ahtSeconds: number): number {
  return (arrivalsPerHour * ahtSeconds) / 3600;
}

/**
 * Probability that a contact has to wait with `agents` agents and `traffic` Erlangs
 * (1 when the agents cannot keep up). Computed through the Erlang B recursion, which
 * never forms A^N or N! and so stays exact for hundreds of agents.
 */
export function probabilityOfWaiting(traffic: number, agents: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  let blocking = 1;
  for (let k = 1; k <= agents; k++) blocking = (traffic * blocking) / (k + traffic * blocking);
  return (agents * blocking) / (agents - traffic * (1 - blocking));
}

/** Share of contacts answered within `targetSeconds` (the service level). */
export function serviceLevel(traffic: number, agents: number, ahtSeconds: number, targetSeconds: number): number {
  if (traffic <= 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - probabilityOfWaiting(traffic, agents) * Math.exp((-(agents - traffic) * targetSeconds) / ahtSeconds);
}

/** Average wait before an agent picks a contact up (average speed of answer), in seconds. */
export function averageSpeedOfAnswer(traffic: number, agents: number, ahtSeconds: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return Infinity;
  return (probabilityOfWaiting(traffic, agents) * ahtSeconds) / (agents - traffic);
}

/** What a staffing target asks for: `targetShare` of contacts answered within `targetSeconds`. */
export interface StaffingTarget {
  readonly arrivalsPerHour: number;
  readonly ahtSeconds: number;
  readonly targetSeconds: number;
  readonly targetShare: number;
}

/** The agents an hour needs, with the service level and wait they would give. */
export interface StaffingNeed {
  readonly trafficErlangs: number;
  readonly agents: number;
  readonly serviceLevel: number;
  readonly averageSpeedOfAnswerSeconds: number;
  readonly occupancy: number;
}

/** The fewest agents that meet the target (0 when nothing arrives). */
export function agentsNeeded(t: StaffingTarget): StaffingNeed {
  const traffic = trafficErlangs(t.arrivalsPerHour, t.ahtSeconds);
  if (traffic <= 0) return { trafficErlangs: 0, agents: 0, serviceLevel: 1, averageSpeedOfAnswerSeconds: 0, occupancy: 0 };
  if (!(t.targetShare > 0 && t.targetShare < 1)) throw new RangeError(`targetShare must be above 0 and below 1 (got ${t.targetShare})`);
  let agents = Math.max(1, Math.floor(traffic) + 1);
  // The service level rises towards 1 with every agent, so a share below 1 is always reached.
  while (serviceLevel(traffic, agents, t.ahtSeconds, t.targetSeconds) < t.targetShare) agents++;
  return {
    trafficErlangs: traffic,
    agents,
    serviceLevel: serviceLevel(traffic, agents, t.ahtSeconds, t.targetSeconds),
    averageSpeedOfAnswerSeconds: averageSpeedOfAnswer(traffic, agents, t.ahtSeconds),
    occupancy: traffic / agents,
  };
}
