// Open faults with where the district stands on each, then the recently repaired ones until the
// district has verified them.
import { useEffect, useState } from 'react';
import type { FaultView, StationEvent } from '../../electron/station-api';
import type { ScreenProps } from '../App';
import { formatTime } from './Board';
import { DistrictLine } from './District';

function FaultItem({ fault, t, text, language }: { fault: FaultView } & Omit<ScreenProps, 'api'>) {
  return (
    <li
      className={`fault fault-${fault.closedAt === null ? fault.severity : 'repaired'}`}
      data-testid={`fault-${fault.code}`}
    >
      <div className="fault-message">{text(fault.message)}</div>
      {fault.closedAt === null && (
        <div className="fault-next">
          <strong>{t('nextStep')}:</strong> {text(fault.nextStep)}
        </div>
      )}
      <div className="fault-meta">
        {t('faultOpened')}{' '}
        {new Date(fault.openedAt).toLocaleDateString(language === 'id' ? 'id-ID' : 'en-GB')}{' '}
        {formatTime(fault.openedAt, language)}
        {fault.flapping && <span className="badge"> {t('flapping')}</span>}
        {fault.recurring && <span className="badge"> {t('recurring')}</span>}
      </div>
      <DistrictLine
        className="fault-district"
        testId={`fault-district-${fault.code}`}
        district={fault.district}
        t={t}
        language={language}
      />
    </li>
  );
}

export function Faults({ api, ...props }: ScreenProps) {
  const { t } = props;
  const [faults, setFaults] = useState<FaultView[] | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api
        .listFaults()
        .then((list) => alive && setFaults(list))
        .catch(() => undefined);
    load();
    const unsubscribe = api.subscribe((event: StationEvent) => {
      if (event.type === 'faults-changed') {
        load();
      }
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [api]);

  if (!faults) {
    return <div className="loading">{t('checking')}</div>;
  }
  const open = faults.filter((fault) => fault.closedAt === null);
  const repaired = faults.filter((fault) => fault.closedAt !== null);
  return (
    <>
      {open.length === 0 ? (
        <div className="faults-empty" data-testid="faults-empty">
          ✔ {t('noFaults')}
        </div>
      ) : (
        <ul className="faults" data-testid="faults">
          {open.map((fault) => (
            <FaultItem key={fault.id} fault={fault} {...props} />
          ))}
        </ul>
      )}
      {repaired.length > 0 && (
        <section className="faults-repaired" data-testid="faults-repaired">
          <h2>{t('recentlyRepaired')}</h2>
          <ul className="faults">
            {repaired.map((fault) => (
              <FaultItem key={fault.id} fault={fault} {...props} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
