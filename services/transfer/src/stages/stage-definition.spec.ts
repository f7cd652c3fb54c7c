import { STAGE_DEFINITION_V1 } from './definition-v1';
import { GATE_EVENT_TYPES, StageDefinitionBody, definitionProblems, normalizeDefinition } from './stage-definition';

const clone = (): StageDefinitionBody => JSON.parse(JSON.stringify(STAGE_DEFINITION_V1)) as StageDefinitionBody;

describe('stage definitions', () => {
  it('accepts version 1, whose event items wait for HR and procurement events', () => {
    expect(definitionProblems(STAGE_DEFINITION_V1)).toEqual([]);
    const eventTypes = STAGE_DEFINITION_V1.stages.flatMap((s) => s.gate.filter((g) => g.source === 'event').map((g) => g.eventType));
    expect(eventTypes).toEqual(['hr.roster-reconciled.v1', 'hr.payroll-transferred.v1', 'procurement.state-enrolled.v1']);
    expect(GATE_EVENT_TYPES).toEqual(expect.arrayContaining(eventTypes));
  });

  it('needs every stage of the path exactly once', () => {
    const body = clone();
    body.stages = body.stages.filter((s) => s.stage !== 'PAYROLL');
    body.stages.push({ ...body.stages[0] });
    expect(definitionProblems(body)).toEqual(
      expect.arrayContaining(['stage DIAGNOSIS must appear exactly once (found 2)', 'stage PAYROLL must appear exactly once (found 0)']),
    );
  });

  it('refuses duplicate item ids and unknown or misplaced event types', () => {
    const body = clone();
    body.stages[1].gate.push({ id: 'units-inventory', title: 'again', source: 'manual' });
    body.stages[2].gate.push({ id: 'dof-check', title: 'DOF checked', source: 'event', eventType: 'dof.published.v1' });
    body.stages[3].gate.push({ id: 'odd', title: 'odd', source: 'manual', eventType: 'hr.roster-reconciled.v1' });
    const problems = definitionProblems(body);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/"units-inventory" is used more than once/);
    expect(problems[1]).toMatch(/PUBLICATION\/dof-check: an event item needs eventType/);
    expect(problems[2]).toMatch(/ANNEXES\/odd: a manual item .* takes no eventType/);
  });

  it('stores stages in path order', () => {
    const body = clone();
    body.stages.reverse();
    expect(normalizeDefinition(body)).toEqual(STAGE_DEFINITION_V1);
  });
});
